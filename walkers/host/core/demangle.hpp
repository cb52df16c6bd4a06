// C++ symbol demangling as mdb shows it ($G, $g, ::dem). The demangling itself is libstdc++'s
// (abi::__cxa_demangle, Itanium ABI names); what is kept of the result follows mdb's $g flags.
#pragma once

#include <string>
#include <string_view>

namespace mdbsim::host {

// mdb's demangler flags (mdb_demangle.h), as $g shows and takes them.
inline constexpr unsigned kDemangleQualifiers = 0x1;  // static/const/volatile shown
inline constexpr unsigned kDemangleScope = 0x2;       // scope resolution (a::b::) shown
inline constexpr unsigned kDemangleArguments = 0x4;   // function arguments shown
inline constexpr unsigned kDemangleMangled = 0x8;     // the mangled name appended in [ ]
inline constexpr unsigned kDemangleAll = 0xf;

// `name`, or `module`name`, demangled and filtered by `flags`; `name` unchanged when it is not a
// mangled C++ name.
std::string demangle_symbol(std::string_view name, unsigned flags);

class Session;
// A symbol name as the debugger prints it: demangled while $G has demangling on.
std::string displayed_symbol_name(const Session& s, const std::string& name);

}  // namespace mdbsim::host
