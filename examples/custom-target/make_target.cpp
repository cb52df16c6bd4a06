// make_target OUT [SPEC]: builds a simulated kernel target and saves it as an mdbsim image.
//   without SPEC: three memsegs laid out here with mdbsim's builders
//   with SPEC:    a built-in scenario ("minimal,size=128K"), as `mdbsim --scenario SPEC` has it
#include <cstdio>
#include <exception>
#include <string>

#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/sim/builders.hpp"
#include "mdbsim/sim/image.hpp"
#include "mdbsim/sim/target.hpp"

namespace sim = mdbsim::sim;

int main(int argc, char** argv) {
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: make_target OUT [SCENARIO-SPEC]\n");
        return 2;
    }
    try {
        sim::SaveStats st;
        if (argc == 3) {
            mdbsim::fixtures::Scenario s = mdbsim::fixtures::make_scenario(argv[2]);
            st = sim::save_image(*s.target, argv[1]);
        } else {
            sim::Target t;                   // flat backend: virtual and physical memory
            sim::KernelHeap heap(t);         // kernel virtual addresses from 0xfffffe0000000000
            sim::MemsegBuilder segs(heap);   // struct memseg + a page_t per frame
            segs.add(0x100, 0x180);          // frames [0x100, 0x180)
            segs.add(0x400, 0x1400);
            segs.add(0x2000, 0x2008);
            segs.finish();                   // links the chain, defines unix`memsegs
            t.info()["made-by"] = "examples/custom-target";
            st = sim::save_image(t, argv[1]);
        }
        std::printf("%s: %zu virtual segments, %zu symbols\n", argv[1], st.virtual_segments, st.symbols);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_target: %s\n", e.what());
        return 1;
    }
    return 0;
}
