// The simulated kernel's types by default: the default layout profile's CTF archive
// (sim/CMakeLists.txt, MDBSIM_LAYOUT_PROFILES).
#include "mdbsim/sim/ctf.hpp"
#include "mdbsim/sim/kvm/layout.hpp"

namespace mdbsim::sim {

const CtfObject& kernel_ctf() { return kvm::Layout::default_layout().ctf(); }

}  // namespace mdbsim::sim
