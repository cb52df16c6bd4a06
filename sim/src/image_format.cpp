#include "image_format.hpp"

#include <gelf.h>

#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <stdexcept>

namespace mdbsim::sim::image {
namespace {

static_assert(std::endian::native == std::endian::little, "images are little-endian; so is the host");

template <class T> void put(std::vector<uint8_t>& out, T v) {
    const auto at = out.size();
    out.resize(at + sizeof v);
    std::memcpy(out.data() + at, &v, sizeof v);
}

void pad4(std::vector<uint8_t>& out) {
    while (out.size() % 4)
        out.push_back(0);
}

// Reads fixed-size fields off a descriptor, failing clearly when it runs short.
class Cursor {
public:
    Cursor(const uint8_t* p, size_t n, const char* what) : p_(p), n_(n), what_(what) {}
    template <class T> T get() {
        need(sizeof(T));
        T v;
        std::memcpy(&v, p_ + at_, sizeof v);
        at_ += sizeof v;
        return v;
    }
    std::string bytes(size_t len) {
        need(len);
        std::string s(reinterpret_cast<const char*>(p_ + at_), len);
        at_ += len;
        return s;
    }
    void align4() { at_ = std::min(n_, (at_ + 3) & ~size_t(3)); }
    bool done() const { return at_ >= n_; }
    size_t left() const { return n_ - at_; }

private:
    void need(size_t len) {
        if (len > n_ - at_)
            throw std::runtime_error(fmt::format("MDBSIM {} note is truncated ({} bytes, need {} more at {})",
                                                 what_, n_, len, at_));
    }
    const uint8_t* p_;
    size_t n_;
    size_t at_ = 0;
    const char* what_;
};

}  // namespace

std::vector<uint8_t> encode_header(const Header& h) {
    std::vector<uint8_t> out;
    put(out, h.version);
    put(out, h.flags);
    put(out, h.virtual_segments);
    put(out, h.physical_segments);
    put(out, h.symbols);
    return out;
}

Header decode_header(const uint8_t* p, size_t n) {
    Cursor c(p, n, "header");
    Header h;
    h.version = c.get<uint32_t>();
    if (h.version != kFormatVersion)
        throw std::runtime_error(fmt::format("unsupported mdbsim image version {} (this build reads {})",
                                             h.version, kFormatVersion));
    h.flags = c.get<uint32_t>();
    h.virtual_segments = c.get<uint32_t>();
    h.physical_segments = c.get<uint32_t>();
    h.symbols = c.get<uint64_t>();
    return h;
}

std::vector<uint8_t> encode_segments(const std::vector<SegmentTag>& tags) {
    std::vector<uint8_t> out;
    for (const auto& t : tags) {
        put(out, static_cast<uint32_t>(t.space));
        put(out, static_cast<uint32_t>(t.name.size()));
        out.insert(out.end(), t.name.begin(), t.name.end());
        pad4(out);
    }
    return out;
}

std::vector<SegmentTag> decode_segments(const uint8_t* p, size_t n) {
    Cursor c(p, n, "segments");
    std::vector<SegmentTag> tags;
    while (!c.done()) {
        SegmentTag t;
        const auto space = c.get<uint32_t>();
        if (space > static_cast<uint32_t>(Space::phys))
            throw std::runtime_error(fmt::format("MDBSIM segments note: segment {} has unknown address space {}",
                                                 tags.size(), space));
        t.space = static_cast<Space>(space);
        const auto len = c.get<uint32_t>();
        t.name = c.bytes(len);
        c.align4();
        tags.push_back(std::move(t));
    }
    return tags;
}

std::vector<uint8_t> encode_info(const std::map<std::string, std::string>& info) {
    std::vector<uint8_t> out;
    for (const auto& [k, v] : info) {
        if (k.find('\0') != std::string::npos || v.find('\0') != std::string::npos)
            throw std::runtime_error(fmt::format("target info entry '{}' contains a NUL byte", k));
        out.insert(out.end(), k.begin(), k.end());
        out.push_back(0);
        out.insert(out.end(), v.begin(), v.end());
        out.push_back(0);
    }
    return out;
}

std::map<std::string, std::string> decode_info(const uint8_t* p, size_t n) {
    std::map<std::string, std::string> info;
    // n is the exact descriptor size (n_descsz): padding is not part of it.
    size_t at = 0;
    auto next = [&](const char* what) {
        const void* nul = std::memchr(p + at, 0, n - at);
        if (!nul)
            throw std::runtime_error(fmt::format("MDBSIM info note: {} at byte {} is not terminated", what, at));
        const size_t len = static_cast<const uint8_t*>(nul) - (p + at);
        std::string s(reinterpret_cast<const char*>(p + at), len);
        at += len + 1;
        return s;
    };
    while (at < n) {
        std::string k = next("key");
        if (at >= n)
            throw std::runtime_error(fmt::format("MDBSIM info note: key '{}' has no value", k));
        if (info.count(k))
            throw std::runtime_error(fmt::format("MDBSIM info note: key '{}' appears twice", k));
        std::string v = next("value");
        info[std::move(k)] = std::move(v);
    }
    return info;
}

void append_note(std::vector<uint8_t>& out, std::string_view name, uint32_t type,
                 const std::vector<uint8_t>& desc) {
    GElf_Nhdr nh{};
    nh.n_namesz = static_cast<uint32_t>(name.size() + 1);
    nh.n_descsz = static_cast<uint32_t>(desc.size());
    nh.n_type = type;
    const auto at = out.size();
    out.resize(at + sizeof nh);
    std::memcpy(out.data() + at, &nh, sizeof nh);
    out.insert(out.end(), name.begin(), name.end());
    out.push_back(0);
    pad4(out);
    out.insert(out.end(), desc.begin(), desc.end());
    pad4(out);
}

}  // namespace mdbsim::sim::image
