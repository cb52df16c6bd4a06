// The amd64 disassembler behind ::dis, the `i` and `I` format characters and $V: Capstone
// decodes, and the text is laid out as mdb's amd64 disassembler (illumos dis) prints it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace mdbsim::host {

class Session;

struct Instruction {
    size_t length = 0;
    std::string text;  // "movl   +0x2eeb(%rip),%eax\t<counter>"
};

// Reads up to n bytes at addr into buf: how many were read (0 when none could be).
using InstructionReader = std::function<size_t(void* buf, size_t n, uint64_t addr)>;

// The instruction at addr, or nothing when no byte can be read or the bytes do not decode.
std::optional<Instruction> disassemble(Session& s, uint64_t addr, const InstructionReader& read);

// The disassemblers ::disasms lists and ::dismode selects.
struct DisassemblerInfo {
    const char* name;
    const char* description;
};
const DisassemblerInfo* disassemblers(size_t* count);

}  // namespace mdbsim::host
