// The structure-aware kvm fuzzing input: which small scenario, which typed corruptions
// (sim/kvm/corrupt.hpp) and which raw byte and pointer edits inside mapped kvm objects.
//
// Byte format (every byte sequence decodes to some case; missing bytes read as zero):
//   [0]      scenario selector (low 3 bits: the scenario; other bits: its parameters): 0-2, 7
//            minimal (16K-256K), 3 typical,small=1 when the other bits but bit 5 are 0 (else as 5),
//            4-5 spt (64K-4M, large pages, scatter), 6 noroot
//   [1]      vCPU count for spt (1..4) / unused
//   [2]      which command group runs (CommandGroup, the byte modulo kCommandGroups)
//   [3..10]  a guest physical address for ::kvm_gpa2qva (besides the alias and slot bases)
//   then up to kMaxEdits edits, each starting with an opcode byte:
//     op % 3 == 0  typed corruption: kind byte, seed u16, and when op & 0x80 a forced value i64
//     op % 3 == 1  raw edit: class byte, index byte, offset u16, value u64;
//                  width = 1 << ((op >> 2) & 3); (op >> 4) & 3: 0 set, 1 xor, 2 add, 3 set ~0;
//                  op & 0x40: the offset picks a named field of the class instead of a byte offset
//     op % 3 == 2  pointer edit: class, index, offset u16, target class, target index, delta i16;
//                  (op >> 2) & 3: 0 the target object's address + delta, 1 a wild (unmapped)
//                  address, 2 NULL, 3 the edited object's own address + delta;
//                  op & 0x40: the offset picks a named pointer field (as for raw edits)
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mdbsim/sim/kvm/builder.hpp"
#include "mdbsim/sim/kvm/corrupt.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::fuzz {

inline constexpr size_t kMaxEdits = 8;

// The command lines an input runs: one group of one to three (the ring and gpa2qva groups: one
// per ring or VM), not all of them. Every walker and dcmd is in some group, so the corpus as a
// whole reaches them all, while one execution costs a few command lines instead of ~20
// (docs/fuzzing.md). Groups that share a subject keep its commands together (the alias walkers,
// the two ::kvm_mmuinfo listings), so a dmod's state carried from one command to the next over
// the same structures (the original's static kvm_mmu_page cache) is still exercised.
enum class CommandGroup : uint8_t {
    vms,           // ::walk kvm; ::kvm
    memslots,      // ::walk kvm | ::walk kvm_memory_slot
    aliases,       // ::walk kvm | ::walk kvm_mem_alias; ::walk kvm_mem_alias
    gsiroutes,     // ::walk kvm | ::kvm_gsiroutes
    mmuinfo,       // ::walk kvm | ::kvm_mmuinfo; then -v or -l -c 1
    mmu_pages,     // ::walk kvm | ::walk kvm_mmu_page
    vcpus,         // ::walk kvm | ::walk kvm_vcpu
    ring_entries,  // one vCPU's ring walked and piped into ::kvm_ringbuf_entry
    rings,         // every vCPU's ring walked (up to 8)
    gpa2qva,       // GPA::kvm_gpa2qva KVM for each VM (up to 4) and three addresses
    count_
};
inline constexpr unsigned kCommandGroups = unsigned(CommandGroup::count_);
const char* to_string(CommandGroup g);

// Kinds of mapped kvm objects an edit can land in.
enum class ObjClass : uint8_t {
    kvm, vcpu, mmu, ringbuf, memslots, aliases, irq_routing, mmu_page, spt, page_t, pae_root,
    vm_list, memseg, count_
};
const char* to_string(ObjClass c);

struct Edit {
    enum class Kind : uint8_t { typed, raw, pointer } kind = Kind::typed;
    // typed
    sim::kvm::CorruptionRequest req;
    // raw and pointer
    ObjClass cls = ObjClass::kvm;
    uint8_t index = 0;
    uint16_t offset = 0;
    bool named_field = false;
    unsigned width = 8;
    uint8_t mode = 0;
    uint64_t value = 0;
    ObjClass target_cls = ObjClass::kvm;
    uint8_t target_index = 0;
    int16_t delta = 0;
};

struct KvmCase {
    std::string spec;  // fixtures scenario spec, e.g. "minimal,size=64K"
    uint64_t gpa = 0;
    // From the upper bits of the vCPU byte: which ::kvm_mmuinfo variant runs besides the plain
    // one (-v, or -l -c 1), and which vCPU's ring is piped into ::kvm_ringbuf_entry (the other
    // rings are walked only: a ring is 512 dcmd invocations).
    uint8_t mmu_variant = 0;
    uint8_t ring_pick = 0;
    CommandGroup group = CommandGroup::vms;
    std::vector<Edit> edits;
};

// Decodes any byte string.
KvmCase decode_kvm_case(const uint8_t* data, size_t size);
// Encodes a case back into bytes (for seed corpora and tests); decode(encode(c)) == c.
std::vector<uint8_t> encode_kvm_case(uint8_t scenario_byte, uint8_t vcpu_byte, CommandGroup group, uint64_t gpa,
                                     const std::vector<std::vector<uint8_t>>& edit_bytes);

// One mapped object of the built scenario.
struct Object {
    ObjClass cls;
    uint64_t addr;
    uint64_t size;
    uint64_t phys = 0;  // also mapped at this physical address (shadow tables, pae_root), or 0
    // What its name is made of: the VM (the memseg's place in the chain), the vCPU or shadow
    // page within it, and a shadow table's level or a page_t's frame.
    uint32_t vm = 0, item = 0;
    uint64_t detail = 0;
    std::string name() const;  // "kvm[1]", "vcpu[0.1]", ... (formatted when asked)
};
// Every object of a class, in a stable order, from what the builder reports and the memseg chain.
std::vector<Object> objects_of(const sim::Target& t, const sim::kvm::BuiltKvm& kvm, ObjClass cls);

// What applying one edit did: a description in words, or why it was skipped. The words are
// formatted only when asked (crash reports, the replay tool), not for every fuzzing input.
struct EditResult {
    bool applied = false;
    std::function<std::string()> describe;
    std::string description() const { return describe ? describe() : std::string(); }
};

// Applies the edits in order to a freshly built scenario. Never throws for target data reasons:
// an edit that cannot apply (nothing to damage, the word already unmapped) is skipped and says so.
std::vector<EditResult> apply_edits(sim::Target& t, const sim::kvm::BuiltKvm& kvm,
                                    const std::vector<Edit>& edits);

}  // namespace mdbsim::fuzz
