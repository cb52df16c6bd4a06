// The host's type system, for the host's own dcmds (::print, ::sizeof, ::typedef, ...), which
// are written on the mdb_ctf_* module API as illumos mdb's are. This header adds what that API
// lacks: the list of modules and type names (completion), the writable container of synthetic
// types ::typedef creates (searched by every lookup, last, as mdb's), the type of a symbol, and
// conversions between mdb_ctf_id_t and libctf's (dict, id) pairs.
//
// Types come from the target's CTF (sim::Target::ctf(): the kernel's genunix/unix/kvm modules
// for a synthesized target, the .ctf sections of an opened image or object) and, for
// mdb_ctf_vread, from each dmod's own .ctf section. All of it is opened with GNU libctf.
//
// Lifetime: a Session's TypeSystem lives as long as the session; ids (TypeRef, mdb_ctf_id_t)
// stay valid until reset_synthetics() (for synthetic ids) or the owning dmod's unload.
#pragma once

// libctf's header first: <mdb/mdb_ctf.h> then sees its ctf_encoding_t and CTF_K_* values.
#include <ctf-api.h>
#include <mdb/mdb_ctf.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mdbsim/sim/ctf.hpp"
#include "mdbsim/sim/ctf_members.hpp"
#include "mdbsim/sim/symbols.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::host {

class Session;
struct Module;

// A type: a libctf dict and an id in it. Invalid when fp is null or id is CTF_ERR.
struct TypeRef {
    ctf_dict_t* fp = nullptr;
    ctf_id_t id = CTF_ERR;
    bool valid() const { return fp != nullptr && id != CTF_ERR; }
};

mdb_ctf_id_t to_mdb_id(TypeRef t);
TypeRef from_mdb_id(mdb_ctf_id_t id);

// The data model ::typedef -c selects for the synthetic base types (mdb's SYNTHETIC_*).
enum class DataModel { ilp32 = SYNTHETIC_ILP32, lp64 = SYNTHETIC_LP64 };

class TypeSystem {
public:
    explicit TypeSystem(const sim::Target& target);
    ~TypeSystem();
    TypeSystem(const TypeSystem&) = delete;
    TypeSystem& operator=(const TypeSystem&) = delete;

    // One module's types. A child module's dict sees its parent's types too.
    struct ModuleTypes {
        std::string name;       // "genunix", "unix", "kvm", or an object's name
        ctf_dict_t* dict;       // owned by the TypeSystem
        std::string parent;     // "" for a parent (or lone) dict
    };
    const std::vector<ModuleTypes>& modules() const { return modules_; }
    // The dict of a module, or null with errno EMDB_NOOBJ (no such object) / EMDB_NOCTF.
    ctf_dict_t* module_dict(std::string_view module) const;

    // mdb's name resolution (mdb_ctf_lookup_by_name): "struct kvm", "kvm`struct kvm_vcpu",
    // "struct kvm`kvm_vcpu", "genunix`list_t", base types ("int", "unsigned long"), and derived
    // forms made on demand: pointers ("char *", "struct kvm **") and arrays ("int [4]",
    // "list_t [2][3]"). Unscoped names search every module in order, preferring a full
    // definition to a forward declaration, then the synthetic types. On failure returns an
    // invalid TypeRef with errno set (EMDB_NOOBJ, EMDB_NOCTF, or EMDB_CTF with last_ctf_error()).
    TypeRef lookup(std::string_view name);
    // The type of a data symbol: Symbol::type resolved in its object's module, else the CTF
    // variable of that name, else the object's data info (a linked object's, keyed by its
    // .dynsym). A function symbol has none (ECTF_NOTDATA, as illumos' ctf_lookup_by_symbol).
    // Invalid with errno set when there is none.
    TypeRef symbol_type(const sim::Symbol& sym);
    // The CTF function type (CTF_K_FUNCTION) of a function symbol, from its object's function
    // info (gcc -gctf writes it; an object file indexes it by name, a linked object by its
    // .dynsym, in the parent dict or a unit's child). Invalid with errno set
    // (EMDB_NOOBJ, EMDB_NOCTF, or EMDB_CTF with libctf's reason) when there is none.
    TypeRef function_type(const sim::Symbol& sym);

    // Every type name of the given module (every module when empty, the synthetic container
    // with "typedef"), as mdb writes them ("struct kvm", "list_t", "int"): sorted, unique.
    std::vector<std::string> type_names(std::string_view module = {}) const;

    // ---- synthetic types (::typedef) ----
    // The writable container; lookups search it after every module. Module name "typedef".
    ctf_dict_t* synthetic() { return synth_; }
    // Adds mdb's base types of the model (int, long, uint64_t, ...) next to what is there.
    int create_base(DataModel model);
    int reset_synthetics();  // empty, as after mdb_ctf_synthetics_reset
    // Each returns 0 and sets *out, or -1 with errno (EEXIST when the name is taken).
    int add_typedef(std::string_view name, TypeRef type, TypeRef* out);
    int add_struct(std::string_view name, TypeRef* out);  // empty name: anonymous
    int add_union(std::string_view name, TypeRef* out);
    int add_member(TypeRef su, std::string_view name, TypeRef type, TypeRef* out);
    int add_array(TypeRef contents, unsigned nelems, TypeRef* out);
    int add_pointer(TypeRef type, TypeRef* out);
    // ::typedef -r: adds every type of a CTF file (an ELF object's .ctf section, else the file as
    // raw CTF) to the synthetic container, gcc's multi-dimensional arrays re-nested as for any
    // other gcc object. An archive (ld's output: a parent dict and a child per compilation unit)
    // goes in parent first, then its children in archive order; a child's type whose name the
    // container already holds as another type (the units disagreed on it) is left out and
    // listed in *left_out with the child it came from. 0, or -1 with errno and the container as
    // it was (ENOENT, EMDB_NOCTF, EMDB_CTF with libctf's reason).
    struct ImportLeftOut {
        std::string type;   // "struct linked_clash"
        std::string child;  // the archive member, as a module name ("linked_b")
    };
    int import_file(const std::string& path, std::vector<ImportLeftOut>* left_out);
    // Removes a synthetic type (mdb_ctf_type_delete): 0, or -1 with errno.
    int delete_type(TypeRef t);

    // A member of a struct or union by name (mdb_ctf_member_info), C's way: the members of an
    // anonymous struct or union member as if they were su's own, offset in bits from su's start.
    // 1 found, 0 not, -1 when su has no members to look in (libctf's error on su.fp). Each type's
    // members are indexed on first use: dmods look the same members up on every command.
    int member(TypeRef su, const char* name, unsigned long* offp, TypeRef* typep);
    // mdb_ctf_member_info's answers by the type as the caller gave it (before resolving) and the
    // member's name: a dmod asks the same few on every command. Only for types whose resolution
    // stays in their own dict (no forward declaration); emptied with member()'s indexes.
    bool member_memo_get(TypeRef given, const char* name, unsigned long* offp, TypeRef* typep) const;
    void member_memo_put(TypeRef given, const char* name, unsigned long off, TypeRef type);

    // ---- dmod types (mdb_ctf_vread, mdb_ctf_module_lookup) ----
    // The CTF of a loaded dmod's .so (its .ctf section): null with errno EMDB_NOCTF when none.
    // Cached per module until forget_module().
    TypeRef dmod_lookup(const Module& m, std::string_view name);
    bool dmod_has_ctf(const Module& m);
    void forget_module(const Module& m);

    // ---- a dmod's layouts against the target's (::load) ----
    // A struct or union of a dmod's own CTF that the target's modules define under the same name
    // with another size, or with a member of the same name at another offset or of another size.
    struct LayoutMismatch {
        std::string type;               // "struct kvm_vcpu"
        std::string member;             // the first member that differs; empty when only the size does
        uint64_t dmod_offset = 0;       // bytes
        int64_t target_offset = -1;     // bytes
        uint64_t dmod_member_size = 0, target_member_size = 0;
        uint64_t dmod_size = 0, target_size = 0;  // of the whole type
        size_t more = 0;                // further members that differ
    };
    // In the order of the dmod's CTF; the names in skip are not compared.
    std::vector<LayoutMismatch> dmod_layout_mismatches(const Module& m, const std::vector<std::string>& skip);

private:
    struct Archive;
    TypeRef lookup_uncached(std::string_view name);
    TypeRef lookup_plain(std::string_view object, std::string_view name);
    TypeRef derive(TypeRef base, std::string_view suffix);
    TypeRef import(TypeRef t);  // a copy of t in the scratch dict (for derived types)
    ctf_dict_t* dmod_archive(const Module& m, std::vector<ctf_dict_t*>** dicts);
    // Where a symbol of the module whose dict is fp may have its function or data info: every
    // dict of the archive when fp is an archive's parent (a linked object: the children are its
    // compilation units), else fp and its parent.
    std::vector<ctf_dict_t*> symbol_dicts(ctf_dict_t* fp) const;

    std::vector<std::unique_ptr<Archive>> archives_;
    std::vector<ModuleTypes> modules_;
    std::map<std::string, std::string, std::less<>> aliases_;  // object without own dict -> module
    const sim::SymbolTable* symbols_ = nullptr;
    ctf_dict_t* synth_ = nullptr;
    ctf_dict_t* scratch_ = nullptr;  // derived pointers and arrays, and what they refer to
    std::map<std::pair<ctf_dict_t*, ctf_id_t>, ctf_id_t> imported_;
    std::map<std::string, std::unique_ptr<Archive>, std::less<>> dmods_;  // by module path + seq
    // Successful lookups by the name as given (mdb_ctf_vread looks the same names up per object),
    // of types outside the synthetic container; emptied whenever the synthetic types change
    // (a synthetic type may now shadow a name that failed in the modules before).
    // Transparent: mdb_ctf_lookup_by_name looks a name up without copying it into a string.
    struct NameHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, TypeRef, NameHash, std::equal_to<>> cache_;
    // In front of cache_: a dmod looks the same few names up in every command, and a hash-table
    // probe (std::hash, a modulo, a string compare) showed. Direct-mapped; emptied with cache_.
    struct NameMemo {
        uint8_t len = 0;           // 0: empty
        char name[47] = {};        // longer names are not kept
        TypeRef type;
    };
    static constexpr size_t kNameMemos = 32;
    std::array<NameMemo, kNameMemos> name_memo_{};
    static size_t name_memo_slot(std::string_view name);
    // member()'s indexes, by the type's dict and id; emptied with cache_ and when a dmod's dicts
    // close (a later dict may reuse the address).
    std::map<std::pair<ctf_dict_t*, ctf_id_t>, sim::CtfMemberIndex> members_;
    struct MemberMemo {
        ctf_dict_t* fp = nullptr;  // null: empty
        ctf_id_t id = 0;
        char name[32] = {};        // longer names are not kept
        unsigned long off = 0;
        TypeRef type;
    };
    static constexpr size_t kMemberMemos = 64;  // direct-mapped
    std::array<MemberMemo, kMemberMemos> member_memo_{};
    static size_t member_memo_slot(TypeRef given, const char* name);
    void types_changed();
};

// A type's name as illumos writes it. gcc names base types as DWARF does ("long unsigned int",
// "short int"); illumos' CTF tools use C's short forms ("unsigned long", "short"), and so do
// mdb's outputs and users' type names. Empty with the dict's error set on failure.
std::string illumos_type_name(TypeRef t);
// The other way: a name as gcc's CTF has it ("unsigned long" -> "long unsigned int").
std::string gcc_type_name(std::string_view name);

// The session's type system, made on first use.
TypeSystem& session_types(Session& s);

// ::load's check: warns, once per type, where a freshly loaded dmod's own CTF disagrees with the
// target's types (TypeSystem::dmod_layout_mismatches), naming the member and both offsets. Types
// the dmod lists in mdbsim_target_layout_types (<mdbsim/target_layout.h>) are not compared. The
// load goes on either way.
void warn_dmod_layouts(Session& s, const Module& m);

// libctf's error number behind the last EMDB_CTF (strerror_mdb(EMDB_CTF) shows its text).
int last_ctf_error();
// Records a libctf error and returns EMDB_CTF (mdb's ctf_to_errno).
int ctf_to_errno(int ctf_error);

}  // namespace mdbsim::host
