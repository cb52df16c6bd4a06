// Decoding of the kvm fuzzing input and the raw / pointer edits (kvm_case.hpp).
#include "kvm_case.hpp"

#include <fmt/format.h>
#include <mdbsim/kvm/consts.h>
#include <sys/avl_impl.h>
#include <sys/list.h>
#include <sys/list_impl.h>
#include <vm/page.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <map>
#include <optional>
#include <set>

#include "mdbsim/sim/kvm/layout.hpp"

namespace mdbsim::fuzz {

using sim::kvm::BuiltKvm;
using sim::kvm::Corruption;

namespace {

// Reads fixed-width little-endian fields; past the end everything reads as zero.
class Reader {
public:
    Reader(const uint8_t* d, size_t n) : d_(d), n_(n) {}
    bool done() const { return pos_ >= n_; }
    uint8_t u8() { return pos_ < n_ ? d_[pos_++] : (pos_++, 0); }
    uint16_t u16() { return uint16_t(u8() | (u8() << 8)); }
    uint64_t u64() {
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= uint64_t(u8()) << (8 * i);
        return v;
    }

private:
    const uint8_t* d_;
    size_t n_;
    size_t pos_ = 0;
};

struct Field {
    const char* name;
    uint32_t offset;
    unsigned width;
};

// Offset and width: the kvm structures' from the target's layout profile (by member name), the
// illumos primitives' from the SDK headers.
#define F(type, member) \
    Field{#member, uint32_t(offsetof(type, member)), unsigned(sizeof(static_cast<type*>(nullptr)->member))}

struct Named {
    const char* type;
    std::vector<const char*> members;
};

std::vector<Field> from_layout(const sim::kvm::Layout& l, const Named& n) {
    std::vector<Field> out;
    for (const char* m : n.members) {
        const sim::kvm::Field f = l.field(n.type, m);
        out.push_back({m, uint32_t(f.offset), unsigned(f.size)});
    }
    return out;
}

// Named fields per class: the words the walkers and dcmds actually depend on.
const std::vector<Field>& fields_of(ObjClass c, const sim::kvm::Layout& l) {
    static const std::vector<std::pair<ObjClass, Named>> kvm_types = {
        {ObjClass::kvm, {"struct kvm", {"memslots", "vcpus[0]", "vcpus[1]", "online_vcpus", "vm_list.list_next",
                                        "vm_list.list_prev", "arch.aliases", "irq_routing", "kvm_avlmp.avl_root",
                                        "kvm_avlmp.avl_offset", "kvm_avlmp.avl_numnodes", "kvm_avlmp.avl_size",
                                        "bsp_vcpu", "kvmid", "arch.active_mmu_pages.list_head.list_next"}}},
        {ObjClass::vcpu, {"struct kvm_vcpu", {"kvm", "vcpu_id", "arch.mmu.root_hpa", "arch.mmu.root_level",
                                              "arch.mmu.shadow_root_level", "arch.mmu.pae_root",
                                              "kvcpu_ringbuf.kvmr_ent"}}},
        {ObjClass::mmu, {"struct kvm_mmu", {"root_hpa", "root_level", "shadow_root_level", "pae_root"}}},
        {ObjClass::ringbuf, {"kvm_ringbuf_t", {"kvmr_ent", "kvmr_buf[0].kvmre_tag", "kvmr_buf[511].kvmre_tag",
                                               "kvmr_buf[0].kvmre_cpuid"}}},
        {ObjClass::memslots, {"struct kvm_memslots", {"nmemslots", "memslots[0].base_gfn", "memslots[0].npages",
                                                      "memslots[0].userspace_addr", "memslots[1].base_gfn",
                                                      "memslots[1].npages", "memslots[31].npages"}}},
        {ObjClass::aliases, {"struct kvm_mem_aliases", {"naliases", "aliases[0].base_gfn", "aliases[0].npages",
                                                        "aliases[0].target_gfn", "aliases[0].flags",
                                                        "aliases[3].npages"}}},
        {ObjClass::irq_routing, {"struct kvm_irq_routing_table", {"chip[0][0]", "chip[2][23]", "nr_rt_entries"}}},
        {ObjClass::mmu_page, {"struct kvm_mmu_page", {"kmp_avlnode.avl_child[0]", "kmp_avlnode.avl_child[1]",
                                                      "kmp_avlnode.avl_pcb", "sptkma", "kmp_avlspt", "hpa", "gfn",
                                                      "role", "root_count"}}},
    };
    static std::map<std::pair<const sim::kvm::Layout*, ObjClass>, std::vector<Field>> cache;
    if (auto it = cache.find({&l, c}); it != cache.end()) return it->second;
    for (const auto& [cls, named] : kvm_types) {
        if (cls != c) continue;
        std::vector<Field> f = from_layout(l, named);
        return cache[{&l, c}] = std::move(f);
    }

    static const std::vector<Field> spt = {
        {"pte[0]", 0, 8}, {"pte[1]", 8, 8}, {"pte[256]", 256 * 8, 8}, {"pte[511]", 511 * 8, 8},
    };
    static const std::vector<Field> page = {
        F(page_t, p_pagenum), F(page_t, p_next), F(page_t, p_vnode), F(page_t, p_offset),
    };
    static const std::vector<Field> pae = {{"pae_root[0]", 0, 8}, {"pae_root[1]", 8, 8}, {"pae_root[3]", 24, 8}};
    static const std::vector<Field> list_fields = {
        F(list_t, list_size), F(list_t, list_offset), F(list_t, list_head.list_next),
        F(list_t, list_head.list_prev),
    };
    static const std::vector<Field> memseg = {
        F(struct memseg, pages), F(struct memseg, epages), F(struct memseg, pages_base),
        F(struct memseg, pages_end), F(struct memseg, next),
    };
    static const std::vector<Field> none;
    switch (c) {
    case ObjClass::spt: return spt;
    case ObjClass::page_t: return page;
    case ObjClass::pae_root: return pae;
    case ObjClass::vm_list: return list_fields;
    case ObjClass::memseg: return memseg;
    default: return none;
    }
}

#undef F

std::string field_name(ObjClass c, const sim::kvm::Layout& l, uint64_t offset, unsigned width) {
    for (const Field& f : fields_of(c, l))
        if (f.offset == offset) return f.name;
    return fmt::format("+{:#x}", offset);
    (void)width;
}

ObjClass class_of(uint8_t b) { return ObjClass(b % uint8_t(ObjClass::count_)); }

// Walks the memseg chain as the builder wrote it (before any edit), bounded.
std::vector<uint64_t> memseg_chain(const sim::Target& t, uint64_t memsegs_var) {
    std::vector<uint64_t> out;
    if (!memsegs_var) return out;
    try {
        uint64_t m = t.peek<uint64_t>(memsegs_var);
        std::set<uint64_t> seen;
        while (m && out.size() < 64 && seen.insert(m).second) {
            out.push_back(m);
            m = t.peek<uint64_t>(m + offsetof(struct memseg, next));
        }
    } catch (const std::exception&) {
    }
    return out;
}

}  // namespace

const char* to_string(ObjClass c) {
    static const char* const names[] = {"kvm",      "vcpu",     "mmu",    "ringbuf",  "memslots",
                                        "aliases",  "irq_routing", "mmu_page", "spt", "page_t",
                                        "pae_root", "vm_list",  "memseg"};
    return size_t(c) < std::size(names) ? names[size_t(c)] : "?";
}

const char* to_string(CommandGroup g) {
    switch (g) {
    case CommandGroup::vms: return "vms";
    case CommandGroup::memslots: return "memslots";
    case CommandGroup::aliases: return "aliases";
    case CommandGroup::gsiroutes: return "gsiroutes";
    case CommandGroup::mmuinfo: return "mmuinfo";
    case CommandGroup::mmu_pages: return "mmu-pages";
    case CommandGroup::vcpus: return "vcpus";
    case CommandGroup::ring_entries: return "ring-entries";
    case CommandGroup::rings: return "rings";
    case CommandGroup::gpa2qva: return "gpa2qva";
    case CommandGroup::count_: break;
    }
    return "?";
}

KvmCase decode_kvm_case(const uint8_t* data, size_t size) {
    Reader r(data, size);
    KvmCase c;
    const uint8_t sel = r.u8();
    const uint8_t vcpus = r.u8();
    c.mmu_variant = (vcpus >> 2) & 1;
    c.ring_pick = static_cast<uint8_t>(vcpus >> 3);
    c.group = CommandGroup(r.u8() % kCommandGroups);
    c.gpa = r.u64();
    const bool no_accessed = (sel >> 5) & 1;
    // typical (three VMs) in its small form: the same layout with ~480 leaf entries instead of
    // ~7,400, which would make it ~50x dearer than minimal for no coverage that the small one
    // lacks. One selector in 64 picks it, the rest of its share goes to small multi-vCPU spt guests.
    const bool typical = (sel & 7) == 3 && ((sel >> 3) & 3) == 0 && (sel >> 6) == 0;
    switch (typical ? 3 : (sel & 7) == 3 ? 5 : sel & 7) {
    case 3:
        c.spec = no_accessed ? "typical,small=1,accessed=0" : "typical,small=1";
        break;
    case 4:
    case 5: {
        const bool large = (sel >> 5) & 1;
        static const char* const small[] = {"64K", "256K", "1M", "4M"};
        static const char* const big[] = {"2M", "4M", "2M", "4M"};
        c.spec = fmt::format("spt,size={},large={},scatter={},vcpus={}", (large ? big : small)[(sel >> 3) & 3],
                             large ? 1 : 0, (sel >> 6) & 1, 1 + vcpus % 4);
        break;
    }
    case 6:
        c.spec = "noroot";
        break;
    default: {
        static const char* const sizes[] = {"16K", "64K", "128K", "256K"};
        c.spec = fmt::format("minimal,size={}{}", sizes[(sel >> 3) & 3], no_accessed ? ",accessed=0" : "");
        break;
    }
    }
    // The layout profile is not in the input (the corpus means the same on every profile):
    // MDBSIM_FUZZ_LAYOUT picks it for a whole run.
    if (const char* layout = std::getenv("MDBSIM_FUZZ_LAYOUT"); layout && *layout)
        c.spec += fmt::format(",layout={}", sim::kvm::Layout::get(layout).name());
    const auto& kinds = sim::kvm::all_corruptions();
    while (!r.done() && c.edits.size() < kMaxEdits) {
        const uint8_t op = r.u8();
        Edit e;
        switch (op % 3) {
        case 0:
            e.kind = Edit::Kind::typed;
            e.req.kind = kinds[r.u8() % kinds.size()];
            e.req.seed = r.u16();
            if (op & 0x80) e.req.value = static_cast<int64_t>(r.u64());
            break;
        case 1:
            e.kind = Edit::Kind::raw;
            e.cls = class_of(r.u8());
            e.index = r.u8();
            e.offset = r.u16();
            e.value = r.u64();
            e.width = 1u << ((op >> 2) & 3);
            e.mode = (op >> 4) & 3;
            e.named_field = op & 0x40;
            break;
        default:
            e.kind = Edit::Kind::pointer;
            e.cls = class_of(r.u8());
            e.index = r.u8();
            e.offset = r.u16();
            e.target_cls = class_of(r.u8());
            e.target_index = r.u8();
            e.delta = static_cast<int16_t>(r.u16());
            e.width = 8;
            e.mode = (op >> 2) & 3;
            e.named_field = op & 0x40;
            break;
        }
        c.edits.push_back(e);
    }
    return c;
}

std::vector<uint8_t> encode_kvm_case(uint8_t scenario_byte, uint8_t vcpu_byte, CommandGroup group, uint64_t gpa,
                                     const std::vector<std::vector<uint8_t>>& edit_bytes) {
    std::vector<uint8_t> out{scenario_byte, vcpu_byte, uint8_t(group)};
    for (int i = 0; i < 8; ++i) out.push_back(uint8_t(gpa >> (8 * i)));
    for (const auto& e : edit_bytes) out.insert(out.end(), e.begin(), e.end());
    return out;
}

std::string Object::name() const {
    switch (cls) {
    case ObjClass::vcpu:
    case ObjClass::mmu:
    case ObjClass::ringbuf:
    case ObjClass::pae_root:
    case ObjClass::mmu_page: return fmt::format("{}[{}.{}]", to_string(cls), vm, item);
    case ObjClass::spt: return fmt::format("spt[{}.{}](level {})", vm, item, detail);
    case ObjClass::page_t: return fmt::format("page_t[{}.{}](pfn {:#x})", vm, item, detail);
    case ObjClass::vm_list: return "vm_list";
    default: return fmt::format("{}[{}]", to_string(cls), vm);
    }
}

std::vector<Object> objects_of(const sim::Target& t, const BuiltKvm& kvm, ObjClass cls) {
    std::vector<Object> out;
    const sim::kvm::Layout& l = sim::kvm::Layout::get(kvm.layout);
    for (size_t v = 0; v < kvm.vms.size(); ++v) {
        const auto& vm = kvm.vms[v];
        switch (cls) {
        case ObjClass::kvm:
            out.push_back({cls, vm.kvm, l.size("struct kvm"), 0, uint32_t(v)});
            break;
        case ObjClass::memslots:
            if (vm.memslots) out.push_back({cls, vm.memslots, l.size("struct kvm_memslots"), 0, uint32_t(v)});
            break;
        case ObjClass::aliases:
            if (vm.aliases) out.push_back({cls, vm.aliases, l.size("struct kvm_mem_aliases"), 0, uint32_t(v)});
            break;
        case ObjClass::irq_routing:
            if (vm.irq_routing)
                out.push_back({cls, vm.irq_routing, l.size("struct kvm_irq_routing_table"), 0, uint32_t(v)});
            break;
        case ObjClass::vcpu:
        case ObjClass::mmu:
        case ObjClass::ringbuf:
        case ObjClass::pae_root:
            for (size_t c = 0; c < vm.vcpus.size(); ++c) {
                const auto& vc = vm.vcpus[c];
                if (cls == ObjClass::vcpu)
                    out.push_back({cls, vc.addr, l.size("struct kvm_vcpu"), 0, uint32_t(v), uint32_t(c)});
                else if (cls == ObjClass::mmu)
                    out.push_back({cls, vc.mmu, l.size("struct kvm_mmu"), 0, uint32_t(v), uint32_t(c)});
                else if (cls == ObjClass::ringbuf)
                    out.push_back({cls, vc.ringbuf, l.size("kvm_ringbuf_t"), 0, uint32_t(v), uint32_t(c)});
                else if (vc.pae_root)
                    out.push_back({cls, vc.pae_root, 32, vc.pae_root_pfn << 12, uint32_t(v), uint32_t(c)});
            }
            break;
        case ObjClass::mmu_page:
        case ObjClass::spt:
        case ObjClass::page_t:
            for (size_t p = 0; p < vm.shadow_pages.size(); ++p) {
                const auto& sp = vm.shadow_pages[p];
                if (cls == ObjClass::mmu_page)
                    out.push_back({cls, sp.mmu_page, l.size("struct kvm_mmu_page"), 0, uint32_t(v), uint32_t(p)});
                else if (cls == ObjClass::spt)
                    out.push_back({cls, sp.sptkma, 4096, sp.pfn << 12, uint32_t(v), uint32_t(p), uint64_t(sp.level)});
                else if (sp.page_t)
                    out.push_back({cls, sp.page_t, sizeof(page_t), 0, uint32_t(v), uint32_t(p), uint64_t(sp.pfn)});
            }
            break;
        default:
            break;
        }
    }
    if (cls == ObjClass::vm_list && kvm.vm_list) out.push_back({cls, kvm.vm_list, sizeof(list_t), 0});
    if (cls == ObjClass::memseg) {
        const auto chain = memseg_chain(t, kvm.memsegs_var);
        for (size_t i = 0; i < chain.size(); ++i)
            out.push_back({cls, chain[i], sizeof(struct memseg), 0, uint32_t(i)});
    }
    return out;
}

namespace {

uint64_t read_word(const sim::Target& t, uint64_t addr, unsigned width) {
    uint64_t v = 0;
    t.get_bytes(addr, &v, width);
    return v;
}

void write_word(sim::Target& t, const Object& o, uint64_t offset, uint64_t value, unsigned width) {
    t.put_bytes(o.addr + offset, &value, width);
    if (o.phys) {
        try {
            t.pput_bytes(o.phys + offset, &value, width);
        } catch (const std::exception&) {
            // The physical copy is gone (an earlier unmap); the virtual word still changed.
        }
    }
}

EditResult apply_one(sim::Target& t, const BuiltKvm& kvm, const Edit& e) {
    EditResult r;
    const sim::kvm::Layout& layout = sim::kvm::Layout::get(kvm.layout);
    if (e.kind == Edit::Kind::typed) {
        const Corruption kind = e.req.kind;
        const uint64_t seed = e.req.seed;
        try {
            auto applied = sim::kvm::apply_corruption(t, kvm, e.req);
            r.applied = true;
            r.describe = [kind, seed, value = e.req.value, what = std::move(applied.description)] {
                return fmt::format("typed {} seed={}{}: {}", sim::kvm::to_string(kind), seed,
                                   value ? fmt::format(" value={}", *value) : std::string(), what);
            };
        } catch (const std::exception& ex) {
            r.describe = [kind, seed, why = std::string(ex.what())] {
                return fmt::format("typed {} seed={}: skipped ({})", sim::kvm::to_string(kind), seed, why);
            };
        }
        return r;
    }
    const auto objs = objects_of(t, kvm, e.cls);
    const char* what = e.kind == Edit::Kind::raw ? "raw" : "pointer";
    if (objs.empty()) {
        r.describe = [what, cls = e.cls] { return fmt::format("{} edit of a {}: skipped (the scenario has none)", what, to_string(cls)); };
        return r;
    }
    const Object& o = objs[e.index % objs.size()];
    uint64_t offset = 0;
    unsigned width = e.width;
    if (e.named_field) {
        const auto& fs = fields_of(e.cls, layout);
        const Field& f = fs[e.offset % fs.size()];
        offset = f.offset;
        if (e.kind == Edit::Kind::raw) width = std::min(width, f.width);
        else width = f.width;
    } else {
        offset = e.offset % o.size;
        if (e.kind == Edit::Kind::pointer) offset &= ~uint64_t{7};
        if (offset + width > o.size) offset = o.size - width;
    }
    const sim::kvm::Layout* lp = &layout;
    try {
        const uint64_t old = read_word(t, o.addr + offset, width);
        uint64_t value = 0;
        std::optional<Object> to;  // a pointer edit's target object
        if (e.kind == Edit::Kind::raw) {
            switch (e.mode) {
            case 0: value = e.value; break;
            case 1: value = old ^ e.value; break;
            case 2: value = old + int64_t(int8_t(e.value)); break;
            default: value = ~uint64_t{0}; break;
            }
        } else {
            switch (e.mode) {
            case 0: {
                const auto targets = objects_of(t, kvm, e.target_cls);
                if (targets.empty()) {
                    r.describe = [o, e, lp, offset, width] {
                        return fmt::format("pointer edit {}.{}: skipped (no {} to point at)", o.name(),
                                           field_name(e.cls, *lp, offset, width), to_string(e.target_cls));
                    };
                    return r;
                }
                to = targets[e.target_index % targets.size()];
                value = to->addr + int64_t(e.delta);
                break;
            }
            case 1: value = 0xffffff0000000000ULL + (uint64_t(uint16_t(e.delta)) << 12); break;
            case 2: value = 0; break;
            default: value = o.addr + int64_t(e.delta); break;
            }
        }
        if (width < 8) value &= (uint64_t{1} << (8 * width)) - 1;
        write_word(t, o, offset, value, width);
        r.applied = true;
        r.describe = [what, o, e, lp, offset, width, old, value, to] {
            std::string how;
            if (e.kind == Edit::Kind::raw) {
                switch (e.mode) {
                case 0: how = "set"; break;
                case 1: how = fmt::format("xor {:#x}", e.value); break;
                case 2: how = fmt::format("add {}", int(int8_t(e.value))); break;
                default: how = "all ones"; break;
                }
            } else {
                switch (e.mode) {
                case 0: how = fmt::format("-> {}{:+#x}", to->name(), int(e.delta)); break;
                case 1: how = "-> wild"; break;
                case 2: how = "-> NULL"; break;
                default: how = fmt::format("-> self{:+#x}", int(e.delta)); break;
                }
            }
            return fmt::format("{} edit {} ({:#x}) {} [{} bytes at {:#x}]: {:#x} -> {:#x} ({})", what, o.name(), o.addr,
                               field_name(e.cls, *lp, offset, width), width, o.addr + offset, old, value, how);
        };
    } catch (const std::exception& ex) {
        r.describe = [what, o, e, lp, offset, width, why = std::string(ex.what())] {
            return fmt::format("{} edit {} {}: skipped ({})", what, o.name(), field_name(e.cls, *lp, offset, width), why);
        };
    }
    return r;
}

}  // namespace

// The corruption API reads kvm_avlmp and the memseg chain from target memory assuming the
// builder's shapes (acyclic): after an earlier edit that may have made them cyclic, avl-* and
// memseg-loop would loop forever inside apply_corruption (sim/kvm/corrupt.cpp, Corrupter::avl and
// Corrupter::memseg). Such a combination is skipped and says so.
std::vector<EditResult> apply_edits(sim::Target& t, const BuiltKvm& kvm, const std::vector<Edit>& edits) {
    std::vector<EditResult> out;
    out.reserve(edits.size());
    bool avl_tainted = false, memseg_tainted = false;
    for (const Edit& e : edits) {
        const bool typed = e.kind == Edit::Kind::typed;
        const bool avl_kind = typed && (e.req.kind == Corruption::avl_order || e.req.kind == Corruption::avl_parent ||
                                        e.req.kind == Corruption::avl_cycle);
        const bool memseg_kind = typed && e.req.kind == Corruption::memseg_loop;
        if ((avl_kind && avl_tainted) || (memseg_kind && memseg_tainted)) {
            out.push_back({false, [kind = e.req.kind, seed = e.req.seed, avl_kind] {
                               return fmt::format("typed {} seed={}: skipped (an earlier edit may have made the {} cyclic, "
                                                  "which apply_corruption does not expect)",
                                                  sim::kvm::to_string(kind), seed, avl_kind ? "kvm_avlmp tree" : "memseg chain");
                           }});
            continue;
        }
        out.push_back(apply_one(t, kvm, e));
        if (!out.back().applied) continue;
        if (avl_kind || (!typed && (e.cls == ObjClass::mmu_page || e.cls == ObjClass::kvm))) avl_tainted = true;
        if (memseg_kind || (!typed && e.cls == ObjClass::memseg)) memseg_tainted = true;
    }
    return out;
}

}  // namespace mdbsim::fuzz
