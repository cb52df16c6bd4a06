// Registration of the type dcmds in the built-in `mdb` module, with their usage lines (mdb's),
// descriptions (mdb's) and help texts (ours, covering what mdb's cover).
#include "print_builtins.hpp"

#include <sys/mdb_modapi.h>

#include "mdbsim/host/session.hpp"
#include "complete_impl.hpp"
#include "print_internal.hpp"

namespace mdbsim::host::print {

void print_help() {
    mdb_printf(
        "Prints the object of the given type at addr, member by member, or only\n"
        "the named members. Without an address it prints the layout: offsets,\n"
        "types and names.\n"
        "\n"
        "-a         start each line with the member's address\n"
        "-C         show char arrays of any length as strings\n"
        "-c limit   show char arrays as strings only up to limit characters (1024)\n"
        "-d         integers in decimal\n"
        "-h         show padding between members as <<HOLE>> lines\n"
        "-i         addr is the value itself, not where it is\n"
        "-L         print every element of other arrays\n"
        "-l limit   print at most limit elements of other arrays (32)\n"
        "-n         pointers as numbers, without symbol names\n"
        "-p         addr is a physical address\n"
        "-s depth   stop descending at depth levels\n"
        "-T         show each type, and <<the type it resolves to>> when different\n"
        "-t         show each member's type\n"
        "-x         integers in hexadecimal (the default)\n"
        "\n"
        "The type can be left out when addr is a symbol with a type.\n"
        "A member is named as in C: a.b for a member of a member, p->c through a\n"
        "pointer, a[2] for an array element (also through a pointer). A byte offset\n"
        "into the type is given as $[ expression ].\n");
}

void enum_help() {
    mdb_printf(
        "Lists the constants of the enumeration \"enum\" (an enum tag or a typedef\n"
        "of one). With an address, or a value or name after the enum, shows only\n"
        "the matching constant; a value of an enum of single bits is shown as the\n"
        "names of its bits.\n");
    mdb_dec_indent(2);
    mdb_printf("\n%<b>OPTIONS%</b>\n");
    mdb_inc_indent(2);
    mdb_printf(
        "   -e    leave out the prefix all constant names share\n"
        "   -x    values in hexadecimal\n");
}

void printf_help() {
    // Printed with %s: the text is full of conversion names.
    mdb_printf(
        "%s",
        "Formats members of the object at addr, interpreted as \"type\", with a\n"
        "format string like mdb_printf's. Each conversion takes the next member,\n"
        "named as for ::print; \".\" stands for addr itself. There must be as many\n"
        "members as conversions.\n"
        "\n"
        "Conversions:\n"
        "\n"
        "  %%    a percent sign\n"
        "  %a    a pointer member as a symbol and offset (%A: without the offset)\n"
        "  %d    an integer member in decimal, signed if its type is\n"
        "  %H    an integer member as a size in bytes, KB, MB, ...\n"
        "  %I    a 32-bit integer member as an IPv4 address\n"
        "  %N    an in6_addr_t member as an IPv6 address\n"
        "  %o    an integer member in octal\n"
        "  %p    a pointer member in hexadecimal\n"
        "  %q    an integer member in signed octal\n"
        "  %r    an integer member in the current radix (%R: signed)\n"
        "  %s    a char pointer or char array member as a string\n"
        "  %u    an integer member in unsigned decimal\n"
        "  %x    an integer member in hexadecimal (%X: with A-F)\n"
        "  %Y    a time_t member as a date and time\n"
        "\n"
        "Before the conversion letter: - to align left, a width in digits, or ? for\n"
        "the width of a pointer (16).\n"
        "\n"
        "Example:\n"
        "\n"
        "  ::walk kvm | ::printf \"%?p %d\\n\" struct kvm . kvmid\n");
}

void typedef_help() {
    mdb_printf(
        "Creates synthetic types that every type dcmd and module then finds like the\n"
        "target's own. \"type\" is an existing type (several words are joined:\n"
        "unsigned long) or, in quotes because ';' ends an mdb command, a struct or\n"
        "union declaration: \"struct [tag] { type member; ... }\". Members may be\n"
        "pointers (any number of *) and arrays (the length is a C number: decimal,\n"
        "or 0x... hex); the last member of a struct may be a flexible array [0].\n"
        "Bitfields, function pointers and packed layouts are not supported: members\n"
        "get their natural alignment. Names must be C identifiers; \"name\" is always\n"
        "required.\n"
        "\n"
        "Without a target there are no types to build on: -c creates C's basic types\n"
        "and the usual <stdint.h> and illumos typedefs for a data model.\n"
        "\n");
    mdb_dec_indent(2);
    mdb_printf("%<b>OPTIONS%</b>\n");
    mdb_inc_indent(2);
    mdb_printf(
        "  -c model   create the intrinsic types of a data model: LP64, or LP32 (also\n"
        "             spelled ILP32), in any case\n"
        "  -d         delete every synthetic type\n"
        "  -l         list the synthetic types\n"
        "  -r file    import the types of file's CTF (an ELF object or raw CTF)\n"
        "  -w file    write the synthetic types to file as CTF\n"
        "\n");
    mdb_dec_indent(2);
    mdb_printf("%<b>EXAMPLES%</b>\n");
    mdb_inc_indent(2);
    mdb_printf(
        "  ::typedef -c LP64\n"
        "  ::typedef uint64_t gpa_t\n"
        "  ::typedef struct kvm vm_t\n"
        "  ::typedef \"struct slot { uint64_t base; uint64_t npages; }\" slot_t\n"
        "  ::typedef \"union { uint32_t word; uint8_t bytes[4]; }\" word_t\n"
        "\n");
    mdb_dec_indent(2);
    mdb_printf("%<b>INTRINSICS%</b>\n");
    mdb_inc_indent(2);
    mdb_printf(
        "::typedef -c creates:\n"
        "\n"
        "  void, char, short, int, long, long long, signed and unsigned alone and\n"
        "  with each of those, _Bool, float, double, long double, and their\n"
        "  imaginary and complex forms;\n"
        "  int8_t .. int64_t, uint8_t .. uint64_t, intptr_t, uintptr_t, ptrdiff_t,\n"
        "  uchar_t, ushort_t, uint_t, ulong_t, u_longlong_t.\n"
        "\n");
}

namespace {

const mdb_dcmd_t kTypeDcmds[] = {
    {"array", ":[type count] [variable]", "print each array element's address", cmd_array, nullptr, nullptr},
    {"enum", "?[-ex] enum [name]", "print an enumeration", cmd_enum, enum_help, nullptr},
    {"list", "?type member [variable]", "walk list using member as link pointer", cmd_list, nullptr, nullptr},
    {"offsetof", "type member", "print the offset of a given struct or union member", cmd_offsetof, nullptr,
     nullptr},
    {"print", "?[-aCdhiLptx] [-c lim] [-l lim] [type] [member|offset ...]", "print the contents of a data structure",
     cmd_print, print_help, tab_print},
    {"printf", "?format type member ...", "print and format the member(s) of a data structure", cmd_printf,
     printf_help, nullptr},
    {"sizeof", "type", "print the size of a type", cmd_sizeof, nullptr, tab_sizeof},
    {"typedef", "[-c model | -d | -l | -r file | -w file ] [type] [name]", "create synthetic types", cmd_typedef,
     typedef_help, nullptr},
};

}  // namespace

}  // namespace mdbsim::host::print

namespace mdbsim::host {

void register_type_builtins(Session& s) {
    for (const mdb_dcmd_t& d : print::kTypeDcmds) s.registry().add_dcmd(s.registry().builtin_module(), d);
}

}  // namespace mdbsim::host
