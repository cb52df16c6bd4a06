// Other tools read our files the way we wrote them: readelf, gdb, drgn.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <regex>
#include <set>
#include <sstream>

#include "mdbsim/sim/image.hpp"
#include "sample_target.hpp"

namespace mdbsim::sim::test {
namespace {

struct ToolFiles {
    Sample s = make_sample(Backend::flat, 4);
    TempDir dir;
    std::string core = dir.file("tools.core");
    ToolFiles() { save_image(*s.target, core); }
};

std::string flags_column(uint32_t prot) {
    std::string f = "   ";
    if (prot & kProtRead)
        f[0] = 'R';
    if (prot & kProtWrite)
        f[1] = 'W';
    if (prot & kProtExec)
        f[2] = 'E';
    return f;
}

std::string hex_le(uint64_t v) {
    std::string out;
    for (int i = 0; i < 8; ++i)
        out += fmt::format("{:02x}", (v >> (8 * i)) & 0xff);
    return out;
}

TEST(ImageTools, ReadelfProgramHeadersMatchTheTarget) {
    if (!have_command("readelf"))
        GTEST_SKIP() << "readelf not installed";
    ToolFiles f;
    const CommandResult r = run_command("readelf -lW " + f.core);
    ASSERT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("Elf file type is CORE"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  NOTE "), std::string::npos) << r.out;

    struct Want {
        uint64_t vaddr, paddr, memsz;
        std::string flags;
    };
    std::vector<Want> want;
    for (const Region& reg : f.s.target->vmem().regions())
        want.push_back({reg.base, 0, reg.size, flags_column(reg.prot)});
    for (const Region& reg : f.s.target->pmem().regions())
        want.push_back({0, reg.base, reg.size, flags_column(reg.prot)});

    const std::regex load(R"(^\s*LOAD\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s(.{3})\s+0x([0-9a-f]+))");
    std::istringstream in(r.out);
    std::string line;
    size_t i = 0;
    while (std::getline(in, line)) {
        std::smatch m;
        if (!std::regex_search(line, m, load))
            continue;
        ASSERT_LT(i, want.size()) << line;
        SCOPED_TRACE(line);
        const uint64_t off = std::stoull(m[1], nullptr, 16);
        EXPECT_EQ(std::stoull(m[2], nullptr, 16), want[i].vaddr);
        EXPECT_EQ(std::stoull(m[3], nullptr, 16), want[i].paddr);
        EXPECT_LE(std::stoull(m[4], nullptr, 16), want[i].memsz);
        EXPECT_EQ(std::stoull(m[5], nullptr, 16), want[i].memsz);
        EXPECT_EQ(m[6].str(), want[i].flags);
        EXPECT_EQ(std::stoull(m[7], nullptr, 16), kPageSize);
        EXPECT_EQ(off % kPageSize, 0u);
        ++i;
    }
    EXPECT_EQ(i, want.size()) << r.out;
}

void expect_readelf_symbols(const std::string& file, const SymbolTable& syms) {
    const CommandResult r = run_command("readelf -sW " + file);
    ASSERT_EQ(r.status, 0) << file;
    const std::regex sym(R"(^\s*\d+:\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+(\w+)\s+(\w+)\s+\w+\s+(\w+)\s+(\S+)\s*$)");
    std::set<std::tuple<std::string, uint64_t, uint64_t, std::string, std::string>> got, want;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_search(line, m, sym))
            got.emplace(m[6], std::stoull(m[1], nullptr, 16), std::stoull(m[2], nullptr, 0), m[3], m[4]);
    }
    auto type = [](unsigned t) {
        return t == STT_FUNC ? "FUNC" : t == STT_OBJECT ? "OBJECT" : "NOTYPE";
    };
    auto bind = [](unsigned b) { return b == STB_LOCAL ? "LOCAL" : b == STB_WEAK ? "WEAK" : "GLOBAL"; };
    for (const auto& s : syms.all())
        want.emplace(s.name, s.value(), s.size(), type(GELF_ST_TYPE(s.sym.st_info)),
                     bind(GELF_ST_BIND(s.sym.st_info)));
    EXPECT_EQ(got, want) << r.out;
}

TEST(ImageTools, ReadelfSymbolsMatchInCoreAndCompanion) {
    if (!have_command("readelf"))
        GTEST_SKIP() << "readelf not installed";
    ToolFiles f;
    expect_readelf_symbols(f.core, f.s.target->symbols());
    expect_readelf_symbols(f.core + ".syms", f.s.target->symbols());
    const CommandResult sec = run_command("readelf -SW " + f.core);
    for (const char* obj : {".mdbsim.obj.unix", ".mdbsim.obj.genunix", ".mdbsim.obj.kvm", ".note.mdbsim"})
        EXPECT_NE(sec.out.find(obj), std::string::npos) << obj << "\n" << sec.out;
    // In the companion file each object's section spans its symbols, allocated (for gdb).
    const CommandResult syms = run_command("readelf -SW " + f.core + ".syms");
    const std::regex kvm(R"(\.mdbsim\.obj\.kvm\s+NOBITS\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+WA\s)");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(syms.out, m, kvm)) << syms.out;
    EXPECT_EQ(std::stoull(m[1], nullptr, 16), f.s.text + 2);  // kvm_marker, zero-sized: spans 1 byte
    EXPECT_EQ(std::stoull(m[2], nullptr, 16), 1u);
}

TEST(ImageTools, GdbReadsTheCoreWithTheCompanionSymbols) {
    if (!have_command("gdb"))
        GTEST_SKIP() << "gdb not installed";
    ToolFiles f;
    const std::string want = fmt::format("{:#018x}", f.s.var_value);
    const CommandResult r = run_command(fmt::format("gdb -batch -nx -ex 'x/gx {:#x}' -ex 'x/gx &sample_var' {}.syms {}",
                                                    f.s.var, f.core, f.core));
    // Both the numeric address and the symbol (from the .syms file) give the saved value.
    const std::string addr = fmt::format("{:#x}", f.s.var);
    std::istringstream in(r.out);
    std::string line;
    int hits = 0;
    while (std::getline(in, line))
        if (line.rfind(addr, 0) == 0 && line.find(want) != std::string::npos)
            ++hits;
    EXPECT_EQ(hits, 2) << r.out;
    EXPECT_EQ(r.out.find("No symbol"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("<sample_var>"), std::string::npos) << r.out;
}

TEST(ImageTools, DrgnReadsVirtualAndPhysicalMemory) {
    if (run_command("/usr/bin/python3 -c 'import drgn'").status != 0)
        GTEST_SKIP() << "drgn is not importable by /usr/bin/python3";
    ToolFiles f;
    const std::string script =
        "import drgn, sys\n"
        "p = drgn.Program()\n"
        "p.set_core_dump(sys.argv[1])\n"
        "print(p.read(int(sys.argv[2], 0), 8).hex())\n"
        "print(p.read(int(sys.argv[3], 0), 8, True).hex())\n";
    const std::string py = f.dir.file("read.py");
    write_file(py, std::vector<uint8_t>(script.begin(), script.end()));
    const CommandResult r =
        run_command(fmt::format("/usr/bin/python3 {} {} {:#x} {:#x}", py, f.core, f.s.var, f.s.frame_pa + 8));
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_EQ(r.out, hex_le(f.s.var_value) + "\n" + hex_le(f.s.phys_value) + "\n");
}

}  // namespace
}  // namespace mdbsim::sim::test
