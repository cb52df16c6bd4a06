// ELF files that are not mdbsim images open like `mdb /bin/ls`: segments as regions, symbols.
#include <elf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>

#include "mdbsim/sim/image.hpp"
#include "sample_target.hpp"

namespace mdbsim::sim::test {
namespace {

TEST(ForeignElf, SampleProgramSymbolsAndData) {
    const std::string path = MDBSIM_IMAGE_SAMPLE_PROGRAM;
    ImageFacts facts;
    auto t = open_image(path, {}, &facts);
    EXPECT_EQ(facts.kind, ImageKind::object);
    EXPECT_EQ(t->backend(), Backend::image);
    EXPECT_TRUE(t->pmem().regions().empty());
    EXPECT_FALSE(t->vmem().regions().empty());
    EXPECT_TRUE(t->info().empty());

    const Symbol* data = t->symbols().lookup("image_sample_data");
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->object, "mdbsim_image_sample");
    EXPECT_EQ(data->size(), 8u);
    EXPECT_EQ(t->peek<uint64_t>(data->value()), 0x1234abcd5678ef01ULL);

    // .bss lies beyond p_filesz: mapped, and zero.
    const Symbol* bss = t->symbols().lookup("image_sample_bss");
    ASSERT_NE(bss, nullptr);
    EXPECT_EQ(bss->size(), 512u * 8);
    for (uint64_t off : {uint64_t(0), bss->size() - 8})
        EXPECT_EQ(t->peek<uint64_t>(bss->value() + off), 0u);

    const Symbol* fn = t->symbols().lookup("image_sample_function");
    ASSERT_NE(fn, nullptr);
    EXPECT_EQ(GELF_ST_TYPE(fn->sym.st_info), STT_FUNC);
    const Region* text = t->vmem().find_region(fn->value());
    ASSERT_NE(text, nullptr);
    EXPECT_TRUE(text->prot & kProtExec);
    EXPECT_FALSE(text->prot & kProtWrite);
    const Region* d = t->vmem().find_region(data->value());
    ASSERT_NE(d, nullptr);
    EXPECT_TRUE(d->prot & kProtWrite);

    // Not opened for writing: writes fault.
    const uint64_t v = 0;
    EXPECT_EQ(t->vmem().write(data->value(), &v, 8), (Fault{FaultKind::protection, data->value()}));
    // Opened for writing: the change is private.
    auto w = open_image(path, OpenOptions{.writable = true});
    EXPECT_FALSE(w->vmem().write(data->value(), &v, 8));
    EXPECT_EQ(w->peek<uint64_t>(data->value()), 0u);
    EXPECT_EQ(open_image(path)->peek<uint64_t>(data->value()), 0x1234abcd5678ef01ULL);
}

TEST(ForeignElf, BinLs) {
    if (::access("/bin/ls", R_OK) != 0)
        GTEST_SKIP() << "no /bin/ls";
    ImageFacts facts;
    auto t = open_image("/bin/ls", {}, &facts);
    EXPECT_EQ(facts.kind, ImageKind::object);
    const auto regions = t->vmem().regions();
    ASSERT_FALSE(regions.empty());
    // The first PT_LOAD of an executable starts with the ELF header.
    char magic[4];
    ASSERT_FALSE(t->vmem().read(regions.front().base, magic, 4));
    EXPECT_EQ(std::memcmp(magic, ELFMAG, 4), 0);
    // Stripped: the dynamic symbols are used, all defined ones, under the object "ls".
    EXPECT_GT(t->symbols().size(), 0u);
    for (const auto& s : t->symbols().all())
        EXPECT_EQ(s.object, "ls");
    // Saving a foreign target gives an mdbsim image with the same contents.
    TempDir dir;
    save_image(*t, dir.file("ls.core"));
    auto again = open_image(dir.file("ls.core"));
    ASSERT_EQ(again->vmem().regions().size(), regions.size());
    for (const Region& r : regions)
        EXPECT_TRUE(region_bytes(t->vmem(), r) == region_bytes(again->vmem(), r)) << r.name;
}

TEST(ForeignElf, CompanionSymbolFileOpensAsAnObject) {
    Sample s = make_sample(Backend::flat, 0);
    TempDir dir;
    save_image(*s.target, dir.file("x.core"));
    // The .syms file is an ET_EXEC without segments: no memory, the symbols with their objects.
    ImageFacts facts;
    auto t = open_image(dir.file("x.core.syms"), {}, &facts);
    EXPECT_EQ(facts.kind, ImageKind::object);
    EXPECT_TRUE(t->vmem().regions().empty());
    EXPECT_EQ(t->symbols().size(), s.target->symbols().size());
    EXPECT_EQ(t->symbols().objects(), s.target->symbols().objects());
    const Symbol* v = t->symbols().lookup("unix", "sample_var");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->value(), s.var);
}

}  // namespace
}  // namespace mdbsim::sim::test
