// Symbol tables in image files: written as .symtab/.strtab plus one empty section per load object,
// read back from mdbsim images, or taken from any other ELF file's .symtab (else .dynsym).
#pragma once

#include <string>

#include "image_elf.hpp"
#include "mdbsim/sim/symbols.hpp"

namespace mdbsim::sim::image {

// Adds ".mdbsim.obj.<object>" sections (in the table's object order), .symtab and .strtab.
// spans: the object sections are SHF_ALLOC and cover their symbols' addresses (for debuggers
// reading the companion file); otherwise they are empty markers at address 0 (in the core, so no
// section claims memory). Returns the number of symbols written.
size_t add_symbol_sections(SectionBuilder& sb, const SymbolTable& syms, const std::string& path,
                           bool spans);

// Restores the symbols of an mdbsim image; every symbol must belong to an object section.
void read_image_symbols(Elf* e, const std::string& path, SymbolTable& out);

// Another ELF file: named symbols defined in a section (or absolute), under object `object`.
void read_foreign_symbols(Elf* e, const std::string& path, const std::string& object, SymbolTable& out);

}  // namespace mdbsim::sim::image
