// The module API's output functions (modapi.md §12.2–12.4) with C linkage, acting on
// Session::current(), and the warning format of §12.3.
#include <sys/mdb_modapi.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "output_inline.hpp"  // run_printf

namespace mdbsim::host {

namespace {
// mdb_snprintf measures %t, %T and %m within a staging buffer of this size (illumos: 64 bytes).
constexpr size_t kSnprintfStaging = 64;
}  // namespace

void vwarn(Session& s, const char* fmt, va_list ap) {
    int saved = errno;
    Output& err = s.err();
    err.puts("mdb: ");
    if (fmt != nullptr) err.vprintf(fmt, ap);
    if (fmt == nullptr || std::strchr(fmt, '\n') == nullptr) {
        err.puts(": ");
        err.puts(strerror_mdb(saved));
        err.newline();
    }
    errno = saved;
}

void warn(Session& s, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vwarn(s, fmt, ap);
    va_end(ap);
}

static size_t vsnprintf_any(Session* s, char* buf, size_t n, const char* fmt, va_list ap) {
    std::string text;
    auto staging = Output::staging(
        s, [&text](std::string_view piece) { text.append(piece); }, kSnprintfStaging);
    staging->vprintf(fmt, ap);
    staging->flush();
    if (buf != nullptr && n > 0) {
        size_t m = std::min(text.size(), n - 1);
        std::memcpy(buf, text.data(), m);
        buf[m] = '\0';
    }
    return text.size();
}

size_t vsnprintf_mdb(Session& s, char* buf, size_t n, const char* fmt, va_list ap) {
    return vsnprintf_any(&s, buf, n, fmt, ap);
}

size_t snprintf_mdb(Session& s, char* buf, size_t n, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t r = vsnprintf_any(&s, buf, n, fmt, ap);
    va_end(ap);
    return r;
}

}  // namespace mdbsim::host

using mdbsim::host::Output;
using mdbsim::host::Session;

extern "C" {

void mdb_printf(const char* format, ...) {
    va_list ap;
    va_start(ap, format);
    if (Session* s = Session::current()) {
        mdbsim::host::run_printf(s->out(), format, ap);
    } else {
        // No session (a module function called from a bare test): plain standard output.
        Output::detached(Output::Kind::file, Output::fd_sink(1))->vprintf(format, ap);
    }
    va_end(ap);
}

size_t mdb_snprintf(char* buf, size_t nbytes, const char* format, ...) {
    va_list ap;
    va_start(ap, format);
    size_t r = mdbsim::host::vsnprintf_any(Session::current(), buf, nbytes, format, ap);
    va_end(ap);
    return r;
}

void mdb_warn(const char* format, ...) {
    va_list ap;
    va_start(ap, format);
    if (Session* s = Session::current()) {
        mdbsim::host::vwarn(*s, format, ap);
    } else {
        int saved = errno;
        auto err = Output::detached(Output::Kind::file, Output::fd_sink(2));
        err->puts("mdb: ");
        err->vprintf(format, ap);
        if (std::strchr(format, '\n') == nullptr) {
            err->puts(": ");
            err->puts(mdbsim::host::strerror_mdb(saved));
            err->newline();
        }
        errno = saved;
    }
    va_end(ap);
}

void mdb_flush(void) {
    if (Session* s = Session::current()) s->out().flush();
}

ulong_t mdb_inc_indent(ulong_t n) {
    Session* s = Session::current();
    return s ? s->out().inc_indent(n) : 0;
}

ulong_t mdb_dec_indent(ulong_t n) {
    Session* s = Session::current();
    return s ? s->out().dec_indent(n) : 0;
}

}  // extern "C"
