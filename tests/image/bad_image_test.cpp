// Damaged images: one clear std::runtime_error naming the file, never a crash.
#include <elf.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <algorithm>
#include <cstring>
#include <random>

#include "mdbsim/sim/image.hpp"
#include "sample_target.hpp"

namespace mdbsim::sim::test {
namespace {

class BadImage : public ::testing::Test {
protected:
    void SetUp() override {
        Sample s = make_sample(Backend::flat, 0);
        good_path_ = dir_.file("good.core");
        save_image(*s.target, good_path_);
        good_ = read_file(good_path_);
        std::memcpy(&eh_, good_.data(), sizeof eh_);
    }

    // Writes bytes to a file and expects open_image to fail with a message naming it and
    // containing `what` (if given).
    void expect_error(const std::vector<uint8_t>& bytes, const std::string& what = "") {
        const std::string p = dir_.file("bad.core");
        write_file(p, bytes);
        try {
            open_image(p);
            ADD_FAILURE() << "opened a bad image; expected an error containing '" << what << "'";
        } catch (const std::runtime_error& e) {
            const std::string msg = e.what();
            EXPECT_EQ(msg.rfind(p + ": ", 0), 0u) << msg;
            EXPECT_NE(msg.find(what), std::string::npos) << msg;
        }
    }

    // Either a clean error naming the file or a usable target.
    void expect_no_crash(const std::vector<uint8_t>& bytes) {
        const std::string p = dir_.file("fuzz.core");
        write_file(p, bytes);
        try {
            auto t = open_image(p);
            for (const Region& r : t->vmem().regions()) {
                uint8_t b;
                (void)t->vmem().read(r.base, &b, 1);
                (void)t->vmem().read(r.end() - 1, &b, 1);
            }
        } catch (const std::runtime_error& e) {
            EXPECT_EQ(std::string(e.what()).rfind(p + ": ", 0), 0u) << e.what();
        }
    }

    Elf64_Phdr phdr(const std::vector<uint8_t>& b, size_t i) const {
        Elf64_Phdr ph;
        std::memcpy(&ph, b.data() + eh_.e_phoff + i * sizeof ph, sizeof ph);
        return ph;
    }
    void set_phdr(std::vector<uint8_t>& b, size_t i, const Elf64_Phdr& ph) const {
        std::memcpy(b.data() + eh_.e_phoff + i * sizeof ph, &ph, sizeof ph);
    }
    // Index of the n-th PT_LOAD.
    size_t load(size_t n) const {
        for (size_t i = 0; i < eh_.e_phnum; ++i)
            if (phdr(good_, i).p_type == PT_LOAD && n-- == 0)
                return i;
        throw std::logic_error("no such PT_LOAD");
    }

    TempDir dir_;
    std::string good_path_;
    std::vector<uint8_t> good_;
    Elf64_Ehdr eh_{};
};

TEST_F(BadImage, TheGoodImageOpens) { EXPECT_NO_THROW(open_image(good_path_)); }

TEST_F(BadImage, MissingOrUnreadableFile) {
    EXPECT_THROW(open_image(dir_.file("nope.core")), std::runtime_error);
    try {
        open_image(dir_.file("nope.core"));
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("nope.core: cannot open"), std::string::npos) << e.what();
    }
    try {
        open_image(dir_.file(""));
        ADD_FAILURE() << "opened a directory";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
    }
}

TEST_F(BadImage, NotElf) {
    expect_error({}, "empty file");
    const std::string text = "#!/bin/sh\necho this is not an ELF file\n";
    expect_error(std::vector<uint8_t>(text.begin(), text.end()), "not an ELF file");
    expect_error(std::vector<uint8_t>(good_.begin(), good_.begin() + 8), "not an ELF file");
}

TEST_F(BadImage, WrongClassByteOrderMachine) {
    auto b = good_;
    b[EI_CLASS] = ELFCLASS32;
    expect_error(b, "not a 64-bit ELF file");
    b = good_;
    b[EI_DATA] = ELFDATA2MSB;
    expect_error(b, "not a little-endian");
    b = good_;
    const uint16_t arm = EM_AARCH64;
    std::memcpy(b.data() + offsetof(Elf64_Ehdr, e_machine), &arm, sizeof arm);
    expect_error(b, "not x86-64");
}

TEST_F(BadImage, EveryTruncationIsAnError) {
    // Headers, notes and sections come first, segment data last: every shorter file is damaged.
    for (size_t n = 1; n < good_.size(); n += (n < 0x1000 ? 37 : 0x3000)) {
        SCOPED_TRACE("truncated to " + std::to_string(n) + " of " + std::to_string(good_.size()));
        expect_error(std::vector<uint8_t>(good_.begin(), good_.begin() + static_cast<std::ptrdiff_t>(n)));
    }
    expect_error(std::vector<uint8_t>(good_.begin(), good_.end() - 1), "beyond the end of the file");
}

TEST_F(BadImage, SegmentBeyondTheFile) {
    auto b = good_;
    Elf64_Phdr ph = phdr(b, load(0));
    ph.p_offset = 0x7fffffffffff0000ULL;
    set_phdr(b, load(0), ph);
    expect_error(b, "beyond the end of the file");
    b = good_;
    ph = phdr(b, load(1));
    ph.p_filesz = UINT64_MAX;
    set_phdr(b, load(1), ph);
    expect_error(b, "exceeds memory size");
    b = good_;
    ph = phdr(b, load(1));
    ph.p_offset = UINT64_MAX - 0x10;
    ph.p_filesz = 0x1000;
    set_phdr(b, load(1), ph);
    expect_error(b, "beyond the end of the file");
}

TEST_F(BadImage, BogusSizesAndAddresses) {
    auto b = good_;
    Elf64_Phdr ph = phdr(b, load(0));
    ph.p_memsz = UINT64_MAX - 0xfff;
    set_phdr(b, load(0), ph);
    expect_error(b, "implausible memory size");
    b = good_;
    ph = phdr(b, load(0));
    ph.p_vaddr = UINT64_MAX - 0xfff;
    ph.p_memsz = 0x2000;
    set_phdr(b, load(0), ph);
    expect_error(b, "wraps");
    b = good_;
    ph = phdr(b, load(0));
    ph.p_vaddr += 8;
    set_phdr(b, load(0), ph);
    expect_error(b, "multiples of");
    b = good_;
    ph = phdr(b, load(0));
    ph.p_memsz = 1ULL << 62;
    ph.p_vaddr = 0;
    set_phdr(b, load(0), ph);
    expect_error(b, "implausible memory size");
}

TEST_F(BadImage, OverlappingSegments) {
    auto b = good_;
    Elf64_Phdr a = phdr(b, load(0)), c = phdr(b, load(1));
    c.p_vaddr = a.p_vaddr;
    set_phdr(b, load(1), c);
    expect_error(b, "overlaps");
}

TEST_F(BadImage, BadProgramHeaderTable) {
    auto b = good_;
    Elf64_Ehdr eh = eh_;
    eh.e_phoff = b.size() - 8;
    std::memcpy(b.data(), &eh, sizeof eh);
    expect_error(b, "program headers");
    b = good_;
    eh = eh_;
    eh.e_phentsize = 12;
    std::memcpy(b.data(), &eh, sizeof eh);
    expect_error(b, "entry size");
    b = good_;
    eh = eh_;
    eh.e_shoff = UINT64_MAX - 100;
    std::memcpy(b.data(), &eh, sizeof eh);
    expect_error(b);
}

std::vector<size_t> find_all(const std::vector<uint8_t>& b, const std::string& s) {
    std::vector<size_t> out;
    for (size_t i = 0; i + s.size() <= b.size(); ++i)
        if (std::memcmp(b.data() + i, s.data(), s.size()) == 0)
            out.push_back(i);
    return out;
}

TEST_F(BadImage, MissingNotes) {
    const auto names = find_all(good_, "MDBSIM");
    ASSERT_EQ(names.size(), 3u);  // header, segments, info
    auto b = good_;
    b[names[1]] = 'X';
    expect_error(b, "missing its MDBSIM segments note");
    b = good_;
    b[names[0]] = 'X';
    expect_error(b, "missing its MDBSIM header note");
    b = good_;
    for (size_t at : names)
        b[at] = 'X';
    expect_error(b, "missing its MDBSIM notes");
    // A note whose size runs past its segment.
    b = good_;
    uint32_t huge = 0x7fffffff;
    std::memcpy(b.data() + names[0] - 8, &huge, sizeof huge);  // n_descsz of the header note
    expect_error(b, "note");
}

TEST_F(BadImage, NotesThatDisagreeWithTheFile) {
    // Drop the last PT_LOAD: the segments note describes one more.
    auto b = good_;
    Elf64_Ehdr eh = eh_;
    eh.e_phnum -= 1;
    std::memcpy(b.data(), &eh, sizeof eh);
    expect_error(b, "segments note describes");
    // Turn a PT_LOAD into PT_NULL.
    b = good_;
    Elf64_Phdr ph = phdr(b, load(2));
    ph.p_type = PT_NULL;
    set_phdr(b, load(2), ph);
    expect_error(b, "segments note describes");
}

TEST_F(BadImage, DamagedSymbols) {
    const auto obj = find_all(good_, ".mdbsim.obj.unix");
    ASSERT_FALSE(obj.empty());
    auto b = good_;
    b[obj[0] + 1] = 'X';  // the object section loses its marker name
    expect_error(b, "not an object section");
}

TEST_F(BadImage, RandomHeaderDamageNeverCrashes) {
    // Everything before the first segment's data: ELF header, program headers, notes, sections.
    const size_t head = phdr(good_, load(0)).p_offset;
    std::mt19937 rng(12345);
    for (int i = 0; i < 200; ++i) {
        auto b = good_;
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int k = 0; k < flips; ++k) {
            const size_t at = rng() % head;
            b[at] = static_cast<uint8_t>(rng() % 3 == 0 ? 0xff : rng());
        }
        expect_no_crash(b);
    }
}

TEST_F(BadImage, EveryProgramHeaderByteSetToFF) {
    // The note header and the first two PT_LOADs, every byte (later ones repeat the same fields).
    const size_t table = eh_.e_phoff;
    const size_t len = std::min<size_t>(3, eh_.e_phnum) * sizeof(Elf64_Phdr);
    for (size_t at = table; at < table + len; ++at) {
        auto b = good_;
        b[at] = 0xff;
        expect_no_crash(b);
    }
}

}  // namespace
}  // namespace mdbsim::sim::test
