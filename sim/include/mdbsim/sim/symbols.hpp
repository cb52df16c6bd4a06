// A symbol table in GElf_Sym terms, grouped by load object ("unix", "genunix", "kvm", ...).
#pragma once

#include <gelf.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mdbsim::sim {

struct Symbol {
    std::string name;
    std::string object;  // load object the symbol belongs to
    GElf_Sym sym{};      // st_value, st_size, st_info (type and binding) are meaningful
    std::string type;    // C type of the object ("list_t"), resolved in `object`'s CTF; may be empty

    uint64_t value() const { return sym.st_value; }
    uint64_t size() const { return sym.st_size; }
};

class SymbolTable {
public:
    // Adds an object-type (STT_OBJECT) or function (STT_FUNC) symbol with global binding unless
    // told otherwise. Names may repeat across objects; within one object a repeat replaces.
    // Synthesized symbols lie in no section (SHN_ABS); a symbol read from an ELF file keeps its
    // section index, which ::nm shows.
    const Symbol& add(std::string object, std::string name, uint64_t value, uint64_t size,
                      unsigned char type = STT_OBJECT, unsigned char bind = STB_GLOBAL,
                      GElf_Section shndx = SHN_ABS);

    // Records the C type of a symbol (mdb_ctf_lookup_by_symbol, ::print's symbol addresses).
    // Returns false when the symbol does not exist.
    bool set_type(std::string_view object, std::string_view name, std::string type);

    // By name: every object, in the order objects were first added ("obj`name" is split by callers).
    const Symbol* lookup(std::string_view name) const;
    const Symbol* lookup(std::string_view object, std::string_view name) const;

    // By address. exact: st_value == addr. Otherwise the closest symbol at or below addr; a sized
    // symbol matches only inside [value, value + size) ("smart" matching), a zero-sized one always.
    const Symbol* lookup_by_addr(uint64_t addr, bool exact) const;

    // Calls fn with each distinct name that starts with prefix, in name order, until fn returns
    // false (tab completion: a sorted index makes a narrow prefix cost a lookup, not a scan).
    void for_each_name(std::string_view prefix, const std::function<bool(const std::string&)>& fn) const;

    std::vector<std::string> objects() const;  // in first-added order
    const std::vector<Symbol>& all() const { return symbols_; }
    bool has_object(std::string_view object) const;
    size_t size() const { return symbols_.size(); }

private:
    size_t object_rank(std::string_view object) const;
    const std::vector<size_t>& by_value() const;

    std::vector<Symbol> symbols_;  // references returned by add() last until the next add()
    std::vector<std::string> objects_;
    std::map<std::string, size_t, std::less<>> object_rank_;
    std::map<std::string, std::vector<size_t>, std::less<>> by_name_;  // indices, in add order
    // Indices sorted by (value, object rank, add order), rebuilt on the first lookup after an add.
    mutable std::vector<size_t> by_value_;
    // For each position of by_value_, the nearest position at or below holding a zero-sized
    // symbol (-1 if none), and the largest size: they bound how far a fuzzy lookup descends.
    mutable std::vector<std::ptrdiff_t> last_unsized_;
    mutable uint64_t max_size_ = 0;
    mutable bool by_value_stale_ = false;
};

}  // namespace mdbsim::sim
