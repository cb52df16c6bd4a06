// Demangling for $G/$g/::dem and the %a conversion; see demangle.hpp.
#include "demangle.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

#include "mdbsim/host/session.hpp"

namespace mdbsim::host {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() > suffix.size() && std::string_view(s).substr(s.size() - suffix.size()) == suffix;
}

// Applies the $g flags to a demangled name, in mdb's order: qualifiers, then arguments, then
// scopes, then the mangled name appended.
std::string filter(std::string dem, std::string_view mangled, unsigned flags) {
    if (!(flags & kDemangleQualifiers)) {
        constexpr std::string_view kStatic = "static ";
        if (std::string_view(dem).substr(0, kStatic.size()) == kStatic) dem.erase(0, kStatic.size());
        for (;;) {
            if (ends_with(dem, " const"))
                dem.resize(dem.size() - 6);
            else if (ends_with(dem, " volatile"))
                dem.resize(dem.size() - 9);
            else
                break;
        }
    }
    if (!(flags & kDemangleArguments)) {
        // Everything from the first '(' to the last ')' goes.
        const size_t lp = dem.find('('), rp = dem.rfind(')');
        if (lp != std::string::npos && rp != std::string::npos && rp >= lp) dem.erase(lp, rp - lp + 1);
    }
    if (!(flags & kDemangleScope)) {
        // The scope is what lies before the last ':' ahead of any '('; a return type before the
        // first blank stays.
        const size_t lp = dem.find('(');
        const std::string_view head = std::string_view(dem).substr(0, lp);
        const size_t colon = head.rfind(':');
        const size_t blank = head.find(' ');
        if (colon != std::string::npos) {
            if (blank == std::string::npos || blank > colon)
                dem.erase(0, colon + 1);
            else
                dem.erase(blank + 1, colon - blank);
        }
    }
    if (flags & kDemangleMangled) {
        dem += '[';
        dem += mangled;
        dem += ']';
    }
    return dem;
}

}  // namespace

std::string demangle_symbol(std::string_view name, unsigned flags) {
    const size_t tick = name.rfind('`');
    const std::string_view prefix = tick == std::string_view::npos ? std::string_view() : name.substr(0, tick + 1);
    const std::string mangled(tick == std::string_view::npos ? name : name.substr(tick + 1));
    // Only function and object names: __cxa_demangle would also turn a bare type code ("i") into a
    // type name ("int").
    if (mangled.rfind("_Z", 0) != 0) return std::string(name);
    int status = 0;
    std::unique_ptr<char, decltype(&std::free)> dem(abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status),
                                                    &std::free);
    if (status != 0 || dem == nullptr || mangled == dem.get()) return std::string(name);
    return std::string(prefix) + filter(dem.get(), name, flags);
}

std::string displayed_symbol_name(const Session& s, const std::string& name) {
    if (!s.settings.demangler_loaded || !s.settings.demangle) return name;
    return demangle_symbol(name, s.settings.demangle_flags);
}

}  // namespace mdbsim::host
