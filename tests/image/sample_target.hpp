// A small but varied target for the image tests, and helpers shared by them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mdbsim/sim/target.hpp"

namespace mdbsim::sim::test {

struct Sample {
    std::unique_ptr<Target> target;
    uint64_t list = 0;           // a list_t in the heap ("genunix`sample_list")
    uint64_t var = 0;            // "unix`sample_var": 8 known bytes
    uint64_t var_value = 0;
    uint64_t ro = 0;             // a read-only region (2 pages, second page all zero)
    uint64_t noaccess = 0;       // a region with no access, holding non-zero bytes
    uint64_t text = 0;           // read + execute
    uint64_t frame_pa = 0;       // a physical frame holding phys_value at +8
    uint64_t phys_value = 0;
    uint64_t big_pa = 0;         // start of a large, mostly zero physical region
    uint64_t big_size = 0;
};

// Builds the sample on a backend. big_mib: size of the mostly-zero physical region.
Sample make_sample(Backend backend = Backend::flat, uint64_t big_mib = 64);

// A fresh directory for one test's files, removed with its contents at destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

struct CommandResult {
    int status = -1;  // exit status, or -1 if it did not exit normally
    std::string out;  // standard output (standard error is discarded)
};
CommandResult run_command(const std::string& cmd);
bool have_command(const std::string& name);

std::vector<uint8_t> read_file(const std::string& path);
void write_file(const std::string& path, const std::vector<uint8_t>& bytes);

// Reads a region's bytes regardless of its protection (lends read permission for the copy).
std::vector<uint8_t> region_bytes(Memory& m, const Region& r);

}  // namespace mdbsim::sim::test
