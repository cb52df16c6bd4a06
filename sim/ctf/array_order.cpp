// gcc's multi-dimensional CTF arrays re-nested in C order (mdbsim/sim/ctf_array_order.hpp).
// The dict layout (header, type records, array records) is CTF format v3 as binutils' <ctf.h>
// defines it; the archive layout is libctf's (a little-endian header of five 64-bit words: magic,
// data model, number of dicts, offset of the name table, offset of the dicts; then one
// (name offset, dict offset) pair per dict; each dict preceded by its 64-bit size).
#include "mdbsim/sim/ctf_array_order.hpp"

#include <ctf.h>
#include <zlib.h>

#include <algorithm>
#include <tuple>
#include <cstdlib>
#include <cstring>
#include <map>
#include <utility>

namespace mdbsim::sim {
namespace {

constexpr uint64_t kArchiveMagic = 0x8b47f2a4d7623eebULL;
constexpr uint32_t kChildBit = 0x80000000u;  // a child dict's own type ids (CTF_MAX_PTYPE + 1)
constexpr size_t kMaxDims = 64;  // a longer chain is a cycle in a corrupt dict

template <class T> T load(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <class T> void store(uint8_t* p, T v) { std::memcpy(p, &v, sizeof v); }

struct ArrayRec {
    size_t at = 0;          // offset of its ctf_array_t in the (uncompressed) body
    uint32_t contents = 0;
    uint32_t index = 0;
    uint32_t nelems = 0;
    uint64_t size = 0;      // ctt_size as written (0: libctf computes it)
};

// One dict, parsed far enough to find its arrays.
struct Dict {
    ctf_header_t hdr{};
    std::vector<uint8_t> body;  // everything after the header, uncompressed
    bool child = false;
    uint32_t ntypes = 0;
    std::map<uint32_t, ArrayRec> arrays;  // by type id
};

bool fail(std::string* err, std::string msg) {
    if (err) *err = std::move(msg);
    return false;
}

// Parses a dict; false (with *err) when it is not CTF v3 or is malformed. *skip is set for dicts
// this module does not handle (other versions, other byte orders), which are not errors.
bool parse(const std::vector<uint8_t>& bytes, Dict& d, bool* skip, std::string* err) {
    *skip = false;
    if (bytes.size() < sizeof(ctf_preamble_t)) return fail(err, "too short for a CTF header");
    const auto pre = load<ctf_preamble_t>(bytes.data());
    if (pre.ctp_magic != CTF_MAGIC || pre.ctp_version != CTF_VERSION_3) {
        *skip = true;
        return true;
    }
    if (bytes.size() < sizeof(ctf_header_t)) return fail(err, "too short for a CTF v3 header");
    d.hdr = load<ctf_header_t>(bytes.data());
    const uint8_t* b = bytes.data() + sizeof(ctf_header_t);
    const size_t blen = bytes.size() - sizeof(ctf_header_t);
    const uint64_t want = uint64_t{d.hdr.cth_stroff} + d.hdr.cth_strlen;
    if (d.hdr.cth_flags & CTF_F_COMPRESS) {
        d.body.resize(want);
        uLongf n = static_cast<uLongf>(want);
        if (uncompress(d.body.data(), &n, b, static_cast<uLong>(blen)) != Z_OK || n != want)
            return fail(err, "cannot decompress the CTF dict");
    } else {
        if (want > blen) return fail(err, "CTF sections run past the end of the dict");
        d.body.assign(b, b + want);
    }
    if (d.hdr.cth_typeoff > d.hdr.cth_stroff) return fail(err, "CTF type section out of order");
    d.child = d.hdr.cth_parname != 0;
    size_t off = d.hdr.cth_typeoff;
    const size_t end = d.hdr.cth_stroff;
    uint32_t index = 0;
    while (off < end) {
        if (end - off < sizeof(ctf_stype_t)) return fail(err, "truncated CTF type record");
        const auto st = load<ctf_stype_t>(d.body.data() + off);
        ++index;
        const uint32_t kind = CTF_V2_INFO_KIND(st.ctt_info);
        const uint32_t vlen = CTF_V2_INFO_VLEN(st.ctt_info);
        uint64_t size = st.ctt_size;
        size_t rec = sizeof(ctf_stype_t);
        if (st.ctt_size == CTF_LSIZE_SENT) {
            if (end - off < sizeof(ctf_type_t)) return fail(err, "truncated CTF type record");
            size = CTF_TYPE_LSIZE(reinterpret_cast<const ctf_type_t*>(d.body.data() + off));
            rec = sizeof(ctf_type_t);
        }
        size_t var = 0;
        switch (kind) {
        case CTF_K_INTEGER:
        case CTF_K_FLOAT: var = sizeof(uint32_t); break;
        case CTF_K_ARRAY: var = sizeof(ctf_array_t); break;
        case CTF_K_FUNCTION: var = sizeof(uint32_t) * (vlen + (vlen & 1)); break;
        case CTF_K_STRUCT:
        case CTF_K_UNION:
            var = vlen * (size >= CTF_LSTRUCT_THRESH ? sizeof(ctf_lmember_t) : sizeof(ctf_member_t));
            break;
        case CTF_K_ENUM: var = vlen * sizeof(ctf_enum_t); break;
        case CTF_K_SLICE: var = sizeof(ctf_slice_t); break;
        case CTF_K_UNKNOWN:
        case CTF_K_POINTER:
        case CTF_K_FORWARD:
        case CTF_K_TYPEDEF:
        case CTF_K_VOLATILE:
        case CTF_K_CONST:
        case CTF_K_RESTRICT: break;
        default: return fail(err, "unknown CTF type kind " + std::to_string(kind));
        }
        if (end - off < rec + var) return fail(err, "truncated CTF type record");
        if (kind == CTF_K_ARRAY) {
            const auto a = load<ctf_array_t>(d.body.data() + off + rec);
            const uint32_t id = d.child ? (index | kChildBit) : index;
            d.arrays[id] = {off + rec, a.cta_contents, a.cta_index, a.cta_nelems, size};
        }
        off += rec + var;
    }
    d.ntypes = index;
    return true;
}

struct NewArray {
    uint32_t contents, index, nelems;
    uint64_t size;
    bool operator<(const NewArray& o) const {
        return std::tie(contents, index, nelems, size) < std::tie(o.contents, o.index, o.nelems, o.size);
    }
};

// Re-nests d's arrays; parent is the parsed parent (null for a parent or lone dict), whose
// arrays a child's chains may run through. Returns the number of arrays re-nested; d.body and
// d.hdr describe the rewritten dict.
int renest(Dict& d, const Dict* parent) {
    auto find = [&](uint32_t id) -> const ArrayRec* {
        const Dict* in = (d.child && id <= CTF_MAX_PTYPE) ? parent : &d;
        if (!in) return nullptr;
        auto it = in->arrays.find(id);
        return it == in->arrays.end() ? nullptr : &it->second;
    };
    struct Patch {
        size_t at;
        uint32_t contents, nelems;
    };
    std::vector<Patch> patches;
    std::map<NewArray, uint32_t> added;
    std::vector<uint8_t> appended;
    // Everything is decided on the dict as written before anything is patched: an array may
    // be both a member's whole type and the inside of another chain.
    for (const auto& [id, a] : d.arrays) {
        const ArrayRec* inner = find(a.contents);
        if (!inner) continue;
        std::vector<uint32_t> dims{a.nelems};
        uint32_t elem = a.contents;
        for (const ArrayRec* r = inner; r && dims.size() <= kMaxDims; r = find(elem)) {
            dims.push_back(r->nelems);
            elem = r->contents;
        }
        if (dims.size() > kMaxDims) continue;  // a cycle: leave it to libctf to complain
        std::vector<uint32_t> c(dims.rbegin(), dims.rend());
        if (c == dims) continue;  // [n][n]...: already right
        // Sizes as gcc writes them (the whole array's), divided down the chain; 0 stays 0.
        std::vector<uint64_t> sizes(c.size(), 0);
        if (a.size != 0) {
            uint64_t s = a.size;
            for (size_t k = 0; k < c.size(); ++k) {
                sizes[k] = s;
                if (c[k] != 0) s /= c[k];
            }
        }
        uint32_t prev = elem;
        for (size_t k = c.size() - 1; k >= 1; --k) {
            const NewArray na{prev, a.index, c[k], sizes[k]};
            auto it = added.find(na);
            if (it == added.end()) {
                const uint32_t index = d.ntypes + static_cast<uint32_t>(added.size()) + 1;
                const uint32_t nid = d.child ? (index | kChildBit) : index;
                ctf_stype_t st{};
                st.ctt_name = 0;
                st.ctt_info = CTF_TYPE_INFO(CTF_K_ARRAY, 0, 0);
                st.ctt_size = na.size > CTF_MAX_SIZE ? 0 : static_cast<uint32_t>(na.size);
                ctf_array_t ar{na.contents, na.index, na.nelems};
                const size_t o = appended.size();
                appended.resize(o + sizeof st + sizeof ar);
                std::memcpy(appended.data() + o, &st, sizeof st);
                std::memcpy(appended.data() + o + sizeof st, &ar, sizeof ar);
                it = added.emplace(na, nid).first;
            }
            prev = it->second;
        }
        patches.push_back({a.at, prev, c[0]});
    }
    for (const auto& p : patches) {
        ctf_array_t ar = load<ctf_array_t>(d.body.data() + p.at);
        ar.cta_contents = p.contents;
        ar.cta_nelems = p.nelems;
        store(d.body.data() + p.at, ar);
    }
    if (!appended.empty()) {
        d.body.insert(d.body.begin() + d.hdr.cth_stroff, appended.begin(), appended.end());
        d.hdr.cth_stroff += static_cast<uint32_t>(appended.size());
    }
    return static_cast<int>(patches.size());
}

std::vector<uint8_t> serialize(const Dict& d) {
    ctf_header_t h = d.hdr;
    h.cth_flags &= ~CTF_F_COMPRESS;
    std::vector<uint8_t> out(sizeof h + d.body.size());
    std::memcpy(out.data(), &h, sizeof h);
    std::memcpy(out.data() + sizeof h, d.body.data(), d.body.size());
    return out;
}

}  // namespace

bool split_ctf_section(const uint8_t* data, size_t size, std::vector<CtfDictBytes>& out, std::string* err) {
    out.clear();
    if (size >= sizeof(uint16_t) && load<uint16_t>(data) == CTF_MAGIC) {
        out.push_back({".ctf", std::vector<uint8_t>(data, data + size)});
        return true;
    }
    if (size < 5 * sizeof(uint64_t) || load<uint64_t>(data) != kArchiveMagic)
        return fail(err, "neither a CTF archive nor a CTF dict");
    const uint64_t ndicts = load<uint64_t>(data + 16);
    const uint64_t names = load<uint64_t>(data + 24);
    const uint64_t ctfs = load<uint64_t>(data + 32);
    constexpr size_t kHeader = 5 * sizeof(uint64_t);
    if (ndicts > (size - kHeader) / 16 || names >= size || ctfs >= size)
        return fail(err, "CTF archive header out of range");
    for (uint64_t i = 0; i < ndicts; ++i) {
        const uint64_t name_off = load<uint64_t>(data + kHeader + i * 16);
        const uint64_t ctf_off = load<uint64_t>(data + kHeader + i * 16 + 8);
        if (name_off >= size - names || size - ctfs < sizeof(uint64_t) || ctf_off > size - ctfs - sizeof(uint64_t))
            return fail(err, "CTF archive member out of range");
        const char* n = reinterpret_cast<const char*>(data + names + name_off);
        const size_t nmax = size - names - name_off;
        const size_t nlen = strnlen(n, nmax);
        if (nlen == nmax) return fail(err, "CTF archive member name not terminated");
        const uint64_t len = load<uint64_t>(data + ctfs + ctf_off);
        const uint8_t* p = data + ctfs + ctf_off + sizeof(uint64_t);
        if (len > size - static_cast<size_t>(p - data)) return fail(err, "CTF archive member runs past the end");
        out.push_back({std::string(n, nlen), std::vector<uint8_t>(p, p + len)});
    }
    std::stable_partition(out.begin(), out.end(), [](const CtfDictBytes& d) { return d.name == ".ctf"; });
    if (out.empty()) return fail(err, "empty CTF archive");
    return true;
}

int nest_arrays_as_c(std::vector<CtfDictBytes>& dicts, std::string* err) {
    std::vector<Dict> parsed(dicts.size());
    std::vector<bool> skipped(dicts.size(), false);
    for (size_t i = 0; i < dicts.size(); ++i) {
        bool skip = false;
        std::string why;
        if (!parse(dicts[i].bytes, parsed[i], &skip, &why)) {
            if (err) *err = dicts[i].name + ": " + why;
            return -1;
        }
        skipped[i] = skip;
    }
    // A child's chains may pass through its parent's arrays as they were written: keep those.
    const Dict parent_as_written = !dicts.empty() && !skipped[0] ? parsed[0] : Dict{};
    int total = 0;
    for (size_t i = 0; i < dicts.size(); ++i) {
        if (skipped[i]) continue;
        const int n = renest(parsed[i], i == 0 ? nullptr : &parent_as_written);
        if (n > 0 || (parsed[i].hdr.cth_flags & CTF_F_COMPRESS)) dicts[i].bytes = serialize(parsed[i]);
        total += n;
    }
    return total;
}

ArrayOrder array_order_from_comment(std::string_view comment) {
    if (const char* env = std::getenv("MDBSIM_CTF_ARRAY_ORDER")) {
        if (std::strcmp(env, "gcc") == 0) return ArrayOrder::gcc;
        if (std::strcmp(env, "c") == 0) return ArrayOrder::c;
    }
    // "GCC: (Debian 12.2.0-14+deb12u1) 12.2.0": the version follows the last ") ".
    size_t pos = 0;
    while ((pos = comment.find("GCC: ", pos)) != std::string_view::npos) {
        std::string_view s = comment.substr(pos);
        s = s.substr(0, s.find('\0'));
        pos += 5;
        const size_t paren = s.rfind(") ");
        std::string_view ver = paren == std::string_view::npos ? s.substr(5) : s.substr(paren + 2);
        int major = 0;
        size_t i = 0;
        while (i < ver.size() && ver[i] >= '0' && ver[i] <= '9') major = major * 10 + (ver[i++] - '0');
        if (i > 0 && major < 14) return ArrayOrder::gcc;
    }
    return ArrayOrder::c;
}

}  // namespace mdbsim::sim
