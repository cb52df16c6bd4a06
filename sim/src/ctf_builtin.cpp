// The build-time kernel CTF archive (sim/CMakeLists.txt: mdbsim_add_ctf_archive(kernel ...)).
#include <cstddef>

#include "mdbsim/sim/ctf.hpp"

extern "C" {
extern const unsigned char mdbsim_ctf_kernel_data[];
extern const size_t mdbsim_ctf_kernel_size;
}

namespace mdbsim::sim {

const CtfObject& kernel_ctf() {
    static const CtfObject k{
        "genunix", std::make_shared<const std::vector<uint8_t>>(mdbsim_ctf_kernel_data,
                                                                 mdbsim_ctf_kernel_data + mdbsim_ctf_kernel_size)};
    return k;
}

}  // namespace mdbsim::sim
