// Layout profiles through GNU libctf: sizes and member offsets of a profile's kvm module types,
// answered from its CTF archive and cached (the builders ask the same questions for every VM).
#include "mdbsim/sim/kvm/layout.hpp"

#include <ctf-api.h>
#include <fmt/format.h>

#include <map>
#include <unordered_map>
#include <mutex>
#include <cstring>
#include <stdexcept>

#include "layout_table.hpp"
#include "mdbsim/sim/ctf_members.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::sim::kvm {

struct Layout::Impl {
    ctf_archive_t* arc = nullptr;
    ctf_dict_t* parent = nullptr;
    ctf_dict_t* kvm = nullptr;
    std::mutex mu;
    std::unordered_map<std::string, Field> fields;  // by type + '\0' + path
    std::string key;  // fields' key of the current call: no allocation on a hit
    std::map<std::string, uint64_t, std::less<>> sizes;
    // Every member of a struct or union by name, those of its anonymous members included, with
    // offsets in bits from the start of the type. Built once per type: a scenario names tens of
    // thousands of distinct paths ("vcpus[3]", "chip[2][23]"), and a libctf member iteration
    // per path component was half of mdbsim's start-up.
    std::unordered_map<ctf_id_t, CtfMemberIndex> members_of;

    const CtfMember* member(ctf_id_t su, const std::string& name);

    ~Impl() {
        if (kvm) ctf_dict_close(kvm);
        if (parent) ctf_dict_close(parent);
        if (arc) ctf_arc_close(arc);
    }
};

Layout::Layout(std::string name, std::string description, CtfObject ctf)
    : name_(std::move(name)), description_(std::move(description)), ctf_(std::move(ctf)), impl_(std::make_unique<Impl>()) {
    ctf_sect_t s{".ctf", ctf_.data->data(), ctf_.data->size(), 0};
    int err = 0;
    impl_->arc = ctf_arc_bufopen(&s, nullptr, nullptr, &err);
    if (impl_->arc)
        impl_->parent = ctf_dict_open(impl_->arc, nullptr, &err);
    // The kvm module's child dict: named "kvm", or after its source file when the linker kept the
    // CU's path.
    std::string member;
    if (impl_->parent)
        ctf_archive_iter(impl_->arc, [](ctf_dict_t*, const char* n, void* arg) {
            const std::string_view name(n);
            if (name == "kvm" || (name.size() > 6 && name.substr(name.size() - 6) == "/kvm.c")) {
                *static_cast<std::string*>(arg) = n;
                return 1;
            }
            return 0;
        }, &member);
    if (!member.empty())
        impl_->kvm = ctf_dict_open(impl_->arc, member.c_str(), &err);
    if (!impl_->kvm)
        throw std::runtime_error(fmt::format("layout profile '{}': its CTF archive has no kvm module ({})", name_,
                                             ctf_errmsg(err)));
    ctf_import(impl_->kvm, impl_->parent);
}

Layout::~Layout() = default;

std::vector<const Layout*> Layout::all() {
    static const std::vector<std::unique_ptr<Layout>> profiles = [] {
        std::vector<std::unique_ptr<Layout>> v;
        for (size_t i = 0; i < detail::kLayoutRowCount; ++i) {
            const detail::LayoutRow& r = detail::kLayoutRows[i];
            auto bytes = std::make_shared<const std::vector<uint8_t>>(r.data, r.data + *r.size);
            v.push_back(std::unique_ptr<Layout>(new Layout(r.name, r.description, CtfObject{"genunix", bytes})));
        }
        return v;
    }();
    std::vector<const Layout*> out;
    for (const auto& p : profiles)
        out.push_back(p.get());
    return out;
}

const Layout& Layout::default_layout() { return *all().front(); }

const Layout& Layout::get(std::string_view name) {
    std::string known;
    for (const Layout* l : all()) {
        if (l->name() == name)
            return *l;
        known += fmt::format("{}{}", known.empty() ? "" : ", ", l->name());
    }
    throw std::invalid_argument(fmt::format("unknown layout '{}' (known: {})", name, known));
}

const Layout& Layout::of(const Target& t) {
    auto it = t.info().find("layout");
    return it == t.info().end() ? default_layout() : get(it->second);
}

void Layout::apply(Target& t) const {
    t.ctf() = {ctf_};
    t.info()["layout"] = name_;
}

namespace {

ctf_id_t lookup(ctf_dict_t* fp, std::string_view type) {
    const std::string t(type);
    return ctf_lookup_by_name(fp, t.c_str());
}

}  // namespace

const CtfMember* Layout::Impl::member(ctf_id_t su, const std::string& name) {
    auto it = members_of.find(su);
    if (it == members_of.end()) {
        it = members_of.emplace(su, CtfMemberIndex{}).first;
        (void)index_ctf_members(kvm, su, it->second);  // none: every name is "no such member"
    }
    const auto m = it->second.find(name);
    return m == it->second.end() ? nullptr : &m->second;
}

uint64_t Layout::size(std::string_view type) const {
    std::lock_guard lock(impl_->mu);
    if (auto it = impl_->sizes.find(type); it != impl_->sizes.end())
        return it->second;
    const ctf_id_t id = lookup(impl_->kvm, type);
    const ssize_t n = id == CTF_ERR ? -1 : ctf_type_size(impl_->kvm, id);
    if (n < 0)
        throw std::logic_error(fmt::format("layout '{}': no type {}", name_, type));
    impl_->sizes.emplace(std::string(type), static_cast<uint64_t>(n));
    return static_cast<uint64_t>(n);
}

Field Layout::field(std::string_view type, std::string_view path) const {
    std::lock_guard lock(impl_->mu);
    std::string& key = impl_->key;
    key.assign(type);
    key += '\0';
    key += path;
    if (auto it = impl_->fields.find(key); it != impl_->fields.end())
        return it->second;
    ctf_dict_t* fp = impl_->kvm;
    auto fail = [&](std::string_view why) {
        return std::logic_error(fmt::format("layout '{}': {} has no member {} ({})", name_, type, path, why));
    };
    ctf_id_t cur = lookup(fp, type);
    if (cur == CTF_ERR)
        throw fail("no such type");
    uint64_t off = 0;
    size_t pos = 0;
    while (pos < path.size()) {
        cur = ctf_type_resolve(fp, cur);
        if (path[pos] == '[') {
            const size_t close = path.find(']', pos);
            if (close == std::string_view::npos)
                throw fail("unclosed [");
            const uint64_t index = std::stoull(std::string(path.substr(pos + 1, close - pos - 1)));
            ctf_arinfo_t ai;
            if (ctf_array_info(fp, cur, &ai) != 0)
                throw fail("not an array");
            if (index >= ai.ctr_nelems)
                throw fail(fmt::format("index {} of {}", index, ai.ctr_nelems));
            const ssize_t esz = ctf_type_size(fp, ai.ctr_contents);
            off += index * static_cast<uint64_t>(esz);
            cur = ai.ctr_contents;
            pos = close + 1;
            continue;
        }
        if (path[pos] == '.')
            ++pos;
        const size_t end = std::min(path.find_first_of(".[", pos), path.size());
        const std::string name(path.substr(pos, end - pos));
        const CtfMember* m = impl_->member(cur, name);
        if (m == nullptr)
            throw fail(fmt::format("at '{}'", name));
        if (m->bits % 8 != 0)
            throw fail("a bitfield");
        off += m->bits / 8;
        cur = m->type;
        pos = end;
    }
    const ssize_t n = ctf_type_size(fp, cur);
    const Field f{off, static_cast<uint64_t>(n < 0 ? 0 : n)};
    impl_->fields.emplace(key, f);
    return f;
}

std::vector<std::string> Layout::members(std::string_view type) const {
    std::lock_guard lock(impl_->mu);
    ctf_dict_t* fp = impl_->kvm;
    const ctf_id_t id = lookup(fp, type);
    if (id == CTF_ERR)
        throw std::logic_error(fmt::format("layout '{}': no type {}", name_, type));
    std::vector<std::string> out;
    ctf_member_iter(fp, ctf_type_resolve(fp, id), [](const char* name, ctf_id_t, unsigned long, void* arg) {
        static_cast<std::vector<std::string>*>(arg)->emplace_back(name);
        return 0;
    }, &out);
    return out;
}

StructBuf::StructBuf(const Layout& l, std::string_view type) : layout_(l), type_(type), bytes_(l.size(type), 0) {}

void StructBuf::set_bytes(std::string_view path, const void* p, uint64_t n, bool exact) {
    const Field f = layout_.field(type_, path);
    if (n > f.size || (exact && n != f.size))
        throw std::logic_error(fmt::format("layout '{}': {}.{} is {} bytes, written with {}", layout_.name(), type_,
                                           path, f.size, n));
    std::memcpy(bytes_.data() + f.offset, p, n);
}

void StructBuf::set_bytes_at(uint64_t off, const void* p, uint64_t n) {
    if (off > bytes_.size() || n > bytes_.size() - off)
        throw std::logic_error(fmt::format("layout '{}': {} bytes at offset {} of {} ({} bytes)", layout_.name(), n,
                                           off, type_, bytes_.size()));
    std::memcpy(bytes_.data() + off, p, n);
}

}  // namespace mdbsim::sim::kvm
