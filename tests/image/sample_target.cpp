#include "sample_target.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "mdbsim/sim/builders.hpp"

namespace mdbsim::sim::test {

Sample make_sample(Backend backend, uint64_t big_mib) {
    Sample s;
    s.target = std::make_unique<Target>(backend);
    Target& t = *s.target;

    KernelHeap heap(t);
    // A list of objects, each with a node at +16 and a recognisable payload.
    s.list = ListBuilder::create(heap, 64, 16);
    for (uint64_t i = 0; i < 6; ++i) {
        const uint64_t obj = heap.alloc(64);
        t.put<uint64_t>(obj, 0xa110c000 + i);
        t.put<uint64_t>(obj + 40, ~i);
        ListBuilder::append(t, s.list, obj);
    }
    t.symbols().add("genunix", "sample_list", s.list, 32);
    s.var = heap.alloc(8);
    s.var_value = 0x1122334455667788ULL;
    t.put<uint64_t>(s.var, s.var_value);
    t.symbols().add("unix", "sample_var", s.var, 8);
    t.symbols().add("unix", "sample_static", s.var, 8, STT_OBJECT, STB_LOCAL);

    MemsegBuilder ms(heap);
    ms.add(0x100, 0x180);
    ms.add(0x400, 0x440);
    ms.finish();
    heap.skip_hole();

    s.ro = 0xffffff0000000000ULL;
    t.vmem().map(s.ro, 2 * kPageSize, kProtRead, "readonly");
    t.put<uint64_t>(s.ro + 0x10, 0x0123456789abcdefULL);
    s.noaccess = 0xffffff0000100000ULL;
    t.vmem().map(s.noaccess, kPageSize, kProtNone, "redzone");
    t.put<uint64_t>(s.noaccess + 0x20, 0xdeadbeefcafef00dULL);
    s.text = 0xfffffffffb800000ULL;
    t.vmem().map(s.text, kPageSize, kProtRead | kProtExec, "text");
    t.put<uint32_t>(s.text, 0xc3c3c3c3);
    t.symbols().add("unix", "sample_function", s.text, 4, STT_FUNC);
    t.symbols().add("kvm", "kvm_marker", s.text + 2, 0, STT_NOTYPE);
    // A low user mapping, where vaddr 0 based physical segments would be seen by naive readers.
    t.vmem().map(0x400000, kPageSize, kProtRW, "user");
    t.put<uint64_t>(0x400000, 0x5555);

    FrameAllocator frames(t);
    const uint64_t pfn = frames.alloc();
    frames.alloc_range(3);
    s.frame_pa = pfn * kPageSize;
    s.phys_value = 0x0badc0ffee0ddf00ULL;
    t.pput<uint64_t>(s.frame_pa + 8, s.phys_value);
    s.big_pa = 1ULL << 32;
    s.big_size = big_mib << 20;
    if (s.big_size) {
        t.pmem().map(s.big_pa, s.big_size, kProtRW, "ram");
        t.pput<uint64_t>(s.big_pa + 0x3000, 0x77);  // one non-zero page near the start
        t.pput<uint64_t>(s.big_pa + s.big_size / 2, 0x78);  // and one in the middle
    }

    t.info()["scenario"] = "image-sample";
    t.info()["corruption"] = "none";
    t.info()["empty value"] = "";
    return s;
}

TempDir::TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mdbsim-image-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
        throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

CommandResult run_command(const std::string& cmd) {
    CommandResult r;
    FILE* p = ::popen((cmd + " 2>/dev/null").c_str(), "r");
    if (!p)
        return r;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        r.out.append(buf.data(), n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

bool have_command(const std::string& name) {
    return run_command("command -v " + name + " >/dev/null").status == 0;
}

std::vector<uint8_t> read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint8_t> region_bytes(Memory& m, const Region& r) {
    const bool lend = !(r.prot & kProtRead);
    if (lend)
        m.protect(r.base, r.size, r.prot | kProtRead);
    std::vector<uint8_t> out(r.size);
    const Fault f = m.read(r.base, out.data(), out.size());
    if (lend)
        m.protect(r.base, r.size, r.prot);
    if (f)
        throw std::runtime_error("region_bytes: fault reading " + r.name);
    return out;
}

}  // namespace mdbsim::sim::test
