// Layout profiles: which version of illumos-kvm's structures a simulated kernel has. A profile is
// a CTF archive compiled from a types file (sim/ctf/layouts/<name>.c); the builders and the
// corruptions write every kvm structure by member name through it, so one builder serves every
// profile. The profiles come from the table in sim/CMakeLists.txt; the first is the default.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mdbsim/sim/ctf.hpp"

namespace mdbsim::sim {
class Target;
}

namespace mdbsim::sim::kvm {

struct Field {
    uint64_t offset = 0;  // bytes from the start of the outermost type
    uint64_t size = 0;
};

class Layout {
public:
    ~Layout();
    Layout(const Layout&) = delete;
    Layout& operator=(const Layout&) = delete;

    // The profile named name; std::invalid_argument naming the known profiles otherwise.
    static const Layout& get(std::string_view name);
    static const Layout& default_layout();
    static std::vector<const Layout*> all();
    // The profile a target was built with (t.info()["layout"]; the default when absent).
    static const Layout& of(const Target& t);
    // Makes t a target of this profile: its types and its info()["layout"].
    void apply(Target& t) const;

    const std::string& name() const { return name_; }
    const std::string& description() const { return description_; }
    const CtfObject& ctf() const { return ctf_; }

    // The size of a type of the kvm module ("struct kvm", "kvm_ringbuf_t", "list_t", ...).
    uint64_t size(std::string_view type) const;
    // A member by path: "memslots", "arch.mmu.root_hpa", "vcpus[3]", "chip[2][23]".
    // std::logic_error naming profile, type and member when it has none.
    Field field(std::string_view type, std::string_view path) const;
    uint64_t offset(std::string_view type, std::string_view path) const { return field(type, path).offset; }
    // Member names of a struct, in order (kstat groups are filled from them).
    std::vector<std::string> members(std::string_view type) const;

private:
    Layout(std::string name, std::string description, CtfObject ctf);
    struct Impl;
    std::string name_, description_;
    CtfObject ctf_;
    std::unique_ptr<Impl> impl_;
};

// A zeroed host-side copy of one structure of a profile, filled by member name, then written
// into the target in one piece. Each set() checks that the member is as wide as the value.
class StructBuf {
public:
    StructBuf(const Layout& l, std::string_view type);
    template <class T> void set(std::string_view path, T value) { set_bytes(path, &value, sizeof value, true); }
    // n bytes at the member (n no more than its size; exact when exact is set).
    void set_bytes(std::string_view path, const void* p, uint64_t n, bool exact = false);
    uint64_t offset(std::string_view path) const { return layout_.offset(type_, path); }
    Field field(std::string_view path) const { return layout_.field(type_, path); }
    // By byte offset, for many like members located once (an array's entries): n bytes at off,
    // std::logic_error when they would pass the structure's end.
    template <class T> void set_at(uint64_t off, T value) { set_bytes_at(off, &value, sizeof value); }
    void set_bytes_at(uint64_t off, const void* p, uint64_t n);
    uint8_t* data() { return bytes_.data(); }
    uint64_t size() const { return bytes_.size(); }
    const Layout& layout() const { return layout_; }

private:
    const Layout& layout_;
    std::string type_;
    std::vector<uint8_t> bytes_;
};

}  // namespace mdbsim::sim::kvm
