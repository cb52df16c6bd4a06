// ::load's layout check: a dmod compiled against one version of a kernel's headers reads another
// version's structures at the wrong offsets and prints plausible garbage. When the dmod carries
// its own CTF (gcc -gctf), every struct and union it shares by name with the target is compared
// member by member, and the first difference of each is named with both offsets.
#include <dlfcn.h>

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/host/types.hpp"

namespace mdbsim::host {
namespace {

struct FlatMember {
    std::string name;
    uint64_t bit_offset;
    int64_t size;  // bytes; -1 when libctf cannot size it
};

// Members by name with their offsets from the start of the outermost type; the members of an
// anonymous struct or union count as the outer type's, as C reaches them.
void flatten(ctf_dict_t* fp, ctf_id_t type, uint64_t base, std::vector<FlatMember>& out, int depth = 0) {
    struct Ctx {
        ctf_dict_t* fp;
        uint64_t base;
        std::vector<FlatMember>* out;
        int depth;
    } ctx{fp, base, &out, depth};
    ctf_member_iter(fp, ctf_type_resolve(fp, type), [](const char* name, ctf_id_t t, unsigned long off, void* arg) {
        auto* c = static_cast<Ctx*>(arg);
        if (*name == '\0') {
            const ctf_id_t r = ctf_type_resolve(c->fp, t);
            const int kind = r == CTF_ERR ? CTF_ERR : ctf_type_kind(c->fp, r);
            if ((kind == CTF_K_STRUCT || kind == CTF_K_UNION) && c->depth < 8)
                flatten(c->fp, r, c->base + off, *c->out, c->depth + 1);
            return 0;
        }
        c->out->push_back({name, c->base + off, static_cast<int64_t>(ctf_type_size(c->fp, t))});
        return 0;
    }, &ctx);
}

// A complete struct or union of this name in the target's modules (the synthetic ::typedef
// container is the user's, not the target's).
TypeRef target_type(const TypeSystem& ts, const std::string& name, int kind) {
    for (const auto& mod : ts.modules()) {
        const ctf_id_t id = ctf_lookup_by_name(mod.dict, name.c_str());
        if (id == CTF_ERR) continue;
        const ctf_id_t r = ctf_type_resolve(mod.dict, id);
        if (r != CTF_ERR && ctf_type_kind(mod.dict, r) == kind) return {mod.dict, r};
    }
    return {};
}

std::string hex(uint64_t v) { return fmt::format("{:#x}", v); }

}  // namespace

std::vector<TypeSystem::LayoutMismatch> TypeSystem::dmod_layout_mismatches(const Module& m,
                                                                            const std::vector<std::string>& skip) {
    std::vector<LayoutMismatch> out;
    std::vector<ctf_dict_t*>* dicts = nullptr;
    if (!dmod_archive(m, &dicts)) return out;
    std::set<std::string> seen(skip.begin(), skip.end());
    for (ctf_dict_t* fp : *dicts) {
        struct Ctx {
            TypeSystem* ts;
            ctf_dict_t* fp;
            std::set<std::string>* seen;
            std::vector<LayoutMismatch>* out;
        } ctx{this, fp, &seen, &out};
        // Root-visible types only: a non-root one is a second definition the dict hides.
        ctf_type_iter(fp, [](ctf_id_t id, void* arg) {
            auto* c = static_cast<Ctx*>(arg);
            const int kind = ctf_type_kind(c->fp, id);
            if (kind != CTF_K_STRUCT && kind != CTF_K_UNION) return 0;
            const std::string name = illumos_type_name(TypeRef{c->fp, id});
            // Anonymous ones have no counterpart to look up; each named one is compared once.
            if (name.empty() || name == "struct " || name == "union " || !c->seen->insert(name).second) return 0;
            const TypeRef theirs = target_type(*c->ts, name, kind);
            if (!theirs.valid()) return 0;
            LayoutMismatch mm;
            mm.type = name;
            mm.dmod_size = static_cast<uint64_t>(ctf_type_size(c->fp, id));
            mm.target_size = static_cast<uint64_t>(ctf_type_size(theirs.fp, theirs.id));
            std::vector<FlatMember> mine, target;
            flatten(c->fp, id, 0, mine);
            flatten(theirs.fp, theirs.id, 0, target);
            size_t differing = 0;
            // A member the target's type does not name is not counted by itself: a profile may
            // leave what the simulator never fills as padding of the same size.
            for (const FlatMember& f : mine) {
                auto it = std::find_if(target.begin(), target.end(), [&](const FlatMember& t) { return t.name == f.name; });
                if (it == target.end() || (it->bit_offset == f.bit_offset && it->size == f.size)) continue;
                if (differing++ == 0) {
                    mm.member = f.name;
                    mm.dmod_offset = f.bit_offset / 8;
                    mm.dmod_member_size = static_cast<uint64_t>(f.size);
                    mm.target_offset = static_cast<int64_t>(it->bit_offset / 8);
                    mm.target_member_size = static_cast<uint64_t>(it->size);
                }
            }
            if (differing == 0 && mm.dmod_size == mm.target_size) return 0;
            mm.more = differing == 0 ? 0 : differing - 1;
            c->out->push_back(std::move(mm));
            return 0;
        }, &ctx);
    }
    return out;
}

void warn_dmod_layouts(Session& s, const Module& m) {
    if (m.path.empty() || s.target().ctf().empty()) return;
    std::vector<std::string> skip;
    if (m.handle)
        if (auto* list = static_cast<const char* const*>(dlsym(m.handle, "mdbsim_target_layout_types")))
            for (; *list; ++list) skip.emplace_back(*list);
    // A typedef names its struct: "kvm_ringbuf_t" stands for the struct it resolves to.
    TypeSystem& ts = session_types(s);
    for (size_t i = 0, n = skip.size(); i < n; ++i) {
        TypeRef t = ts.dmod_lookup(m, skip[i]);
        if (t.valid()) {
            const ctf_id_t r = ctf_type_resolve(t.fp, t.id);
            if (r != CTF_ERR) skip.push_back(illumos_type_name(TypeRef{t.fp, r}));
        }
    }
    const std::vector<TypeSystem::LayoutMismatch> found = ts.dmod_layout_mismatches(m, skip);
    if (found.empty()) return;
    const auto& info = s.target().info();
    const auto layout = info.find("layout");
    const std::string target =
        layout == info.end() ? std::string("the target's") : fmt::format("the target's (layout {})", layout->second);
    for (const auto& mm : found) {
        std::string what;
        if (mm.member.empty())
            what = fmt::format("size {} in {}, {} in {}", hex(mm.dmod_size), m.name, hex(mm.target_size), target);
        else if (static_cast<uint64_t>(mm.target_offset) == mm.dmod_offset)
            what = fmt::format("member {} at offset {} is {} bytes in {}, {} in {}", mm.member, hex(mm.dmod_offset),
                               mm.dmod_member_size, m.name, mm.target_member_size, target);
        else
            what = fmt::format("member {} at offset {} in {}, {} in {}", mm.member, hex(mm.dmod_offset), m.name,
                               hex(static_cast<uint64_t>(mm.target_offset)), target);
        if (mm.more > 0) what += fmt::format(" ({} more member{} differ{})", mm.more, mm.more == 1 ? "" : "s", mm.more == 1 ? "s" : "");
        if (!mm.member.empty() && mm.dmod_size != mm.target_size)
            what += fmt::format("; size {}, {}", hex(mm.dmod_size), hex(mm.target_size));
        warn(s, "%s: %s differs from the target's: %s\n", m.name.c_str(), mm.type.c_str(), what.c_str());
    }
    warn(s, "%s was compiled for other structure layouts than the target's; what it reads of %s may be wrong "
            "(mdbsim --list-layouts)\n",
         m.name.c_str(), found.size() == 1 ? "this type" : "these types");
}

}  // namespace mdbsim::host
