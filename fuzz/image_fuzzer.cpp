// Fuzzing of the image loader: sim::open_image on arbitrary bytes (docs/fuzzing.md).
//
// The input is written to a memfd and opened through /proc/self/fd/N. A file that opens is then
// used: every region's first and last bytes are read in both address spaces, a write is tried
// (it must fault on a read-only target), and symbols are looked up by name and address. Errors
// thrown as std::runtime_error are the expected outcome for bad files; anything else is a finding.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "mdbsim/sim/image.hpp"

namespace {

int g_fd = -1;
std::string g_path;

void exercise(mdbsim::sim::Memory& m) {
    uint8_t buf[64];
    for (const auto& r : m.regions()) {
        const size_t n = r.size < sizeof buf ? size_t(r.size) : sizeof buf;
        (void)m.read(r.base, buf, n);
        (void)m.read(r.end() - n, buf, n);
        (void)m.read(r.end() - 1, buf, 2);  // runs off the end unless another region follows
        (void)m.find_region(r.base + r.size / 2);
        if (const uint8_t* d = m.direct(r.base, n)) buf[0] = d[0];
        (void)m.write(r.base, buf, 1);
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    g_fd = memfd_create("mdbsim-image-fuzz", MFD_CLOEXEC);
    if (g_fd < 0) {
        std::perror("memfd_create");
        std::abort();
    }
    g_path = "/proc/self/fd/" + std::to_string(g_fd);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (g_fd < 0) LLVMFuzzerInitialize(nullptr, nullptr);
    if (ftruncate(g_fd, 0) != 0 || pwrite(g_fd, data, size, 0) != static_cast<ssize_t>(size)) std::abort();
    mdbsim::sim::OpenOptions opts;
    opts.writable = size & 1;
    mdbsim::sim::ImageFacts facts;
    std::unique_ptr<mdbsim::sim::Target> t;
    try {
        t = mdbsim::sim::open_image(g_path, opts, &facts);
    } catch (const std::runtime_error&) {
        return 0;
    }
    exercise(t->vmem());
    exercise(t->pmem());
    const auto& syms = t->symbols();
    size_t i = 0;
    for (const auto& s : syms.all()) {
        if (i++ > 64) break;
        (void)syms.lookup(s.name);
        (void)syms.lookup(s.object, s.name);
        (void)syms.lookup_by_addr(s.value(), true);
        (void)syms.lookup_by_addr(s.value() + 1, false);
    }
    (void)syms.objects();
    for (const auto& [k, v] : t->info()) (void)(k.size() + v.size());
    return 0;
}
