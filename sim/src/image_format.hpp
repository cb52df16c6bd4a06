// The mdbsim parts of the image format (see mdbsim/sim/image.hpp): the "MDBSIM" notes and names.
// Encoders build note descriptors; decoders check them and throw std::runtime_error saying what
// is wrong (the caller adds the file name).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mdbsim::sim::image {

inline constexpr std::string_view kNoteName = "MDBSIM";
// Note types carry an "MS" tag: debuggers (gdb, readelf) read small types in core files as
// NT_PRSTATUS and friends whatever the owner name.
inline constexpr uint32_t kNoteHeader = 0x4d530001;
inline constexpr uint32_t kNoteSegments = 0x4d530002;
inline constexpr uint32_t kNoteInfo = 0x4d530003;
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr uint32_t kFlagWritable = 1;
inline constexpr std::string_view kNoteSection = ".note.mdbsim";
// CTF: ".ctf" (gcc/ld's name; the object is the file) or ".ctf.<object>" (mdbsim images).
inline constexpr std::string_view kCtfSection = ".ctf";
inline constexpr std::string_view kCtfSectionPrefix = ".ctf.";
inline constexpr std::string_view kObjectPrefix = ".mdbsim.obj.";

enum class Space : uint32_t { virt = 0, phys = 1 };

struct Header {
    uint32_t version = kFormatVersion;
    uint32_t flags = 0;
    uint32_t virtual_segments = 0;
    uint32_t physical_segments = 0;
    uint64_t symbols = 0;
};

struct SegmentTag {
    Space space = Space::virt;
    std::string name;
};

std::vector<uint8_t> encode_header(const Header& h);
std::vector<uint8_t> encode_segments(const std::vector<SegmentTag>& tags);
std::vector<uint8_t> encode_info(const std::map<std::string, std::string>& info);

Header decode_header(const uint8_t* p, size_t n);
std::vector<SegmentTag> decode_segments(const uint8_t* p, size_t n);
std::map<std::string, std::string> decode_info(const uint8_t* p, size_t n);

// Appends one note (header, name, descriptor, 4-byte padding) in ELF note layout.
void append_note(std::vector<uint8_t>& out, std::string_view name, uint32_t type,
                 const std::vector<uint8_t>& desc);

}  // namespace mdbsim::sim::image
