// A symbol table in GElf_Sym terms, grouped by load object ("unix", "genunix", "kvm", ...).
#pragma once

#include <gelf.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mdbsim::sim {

struct Symbol {
    std::string name;
    std::string object;  // load object the symbol belongs to
    GElf_Sym sym{};      // st_value, st_size, st_info (type and binding) are meaningful

    uint64_t value() const { return sym.st_value; }
    uint64_t size() const { return sym.st_size; }
};

class SymbolTable {
public:
    // Adds an object-type (STT_OBJECT) or function (STT_FUNC) symbol with global binding unless
    // told otherwise. Names may repeat across objects; within one object a repeat replaces.
    const Symbol& add(std::string object, std::string name, uint64_t value, uint64_t size,
                      unsigned char type = STT_OBJECT, unsigned char bind = STB_GLOBAL);

    // By name: every object, in the order objects were first added ("obj`name" is split by callers).
    const Symbol* lookup(std::string_view name) const;
    const Symbol* lookup(std::string_view object, std::string_view name) const;

    // By address. exact: st_value == addr. Otherwise the closest symbol at or below addr; a sized
    // symbol matches only inside [value, value + size) ("smart" matching), a zero-sized one always.
    const Symbol* lookup_by_addr(uint64_t addr, bool exact) const;

    std::vector<std::string> objects() const;  // in first-added order
    const std::vector<Symbol>& all() const { return symbols_; }
    bool has_object(std::string_view object) const;
    size_t size() const { return symbols_.size(); }

private:
    std::vector<Symbol> symbols_;
    std::vector<size_t> by_addr_;  // indices sorted by value, rebuilt lazily
    mutable bool sorted_ = true;
    mutable std::vector<size_t> sorted_index_;
};

}  // namespace mdbsim::sim
