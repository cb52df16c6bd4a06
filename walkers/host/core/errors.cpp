// Error numbers: mdb's EMDB_* texts, illumos libc texts for the small errno values, and the
// mapping from a sim::Fault to the errno a failed transfer leaves behind.
#include <ctf-api.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "host_internal.hpp"
#include "mdbsim/host/types.hpp"

namespace mdbsim::host {
namespace {

// Indexed by e - EMDB_BASE (modapi.md §14).
constexpr const char* kMdbTexts[] = {
    "unknown symbol name",
    "unknown object file name",
    "no mapping for address",
    "unknown dcmd name",
    "unknown walk name",
    "dcmd name already in use",
    "walk name already in use",
    "no support for platform",
    "no process active",
    "specified name is too long",
    "specified name contains illegal characters",
    "failed to allocate needed memory",
    "specified module is not loaded",
    "cannot unload built-in module",
    "no walk is currently active",
    "invalid walk state argument",
    "walker does not accept starting address",
    "walker requires starting address",
    "failed to initialize walk",
    "walker cannot be layered on itself",
    "i/o stream is read-only",
    "i/o stream is write-only",
    "no symbol corresponds to address",
    "unknown disassembler name",
    "disassembler name already in use",
    "no such software event specifier",
    "no such xdata available",
    "xdata name already in use",
    "operation not supported by target",
    "target is not open for writing",
    "invalid register name",
    "no register set available for thread",
    "stack address is not properly aligned",
    "no executable file is open",
    "failed to evaluate command",
    "command cancelled by user",
    nullptr,  // EMDB_PARTIAL: formatted from the sizes of the last partial transfer
    "dcmd failed",
    "improper dcmd usage",
    "target error",
    "invalid system call number",
    "invalid signal number",
    "invalid fault number",
    "target is currently executing",
    "target has completed execution",
    "target is a core file",
    "debugger lost control of target",
    "libthread_db call failed unexpectedly",
    "failed to dlopen library",
    "librtld_db call failed unexpectedly",
    "runtime linker data not available",
    "invalid thread identifier",
    "event specifier disabled",
    "unknown link map id",
    "failed to determine return address",
    "watchpoint size exceeds address space limit",
    "conflict with existing watchpoint",
    "address not aligned on an instruction boundary",
    "library is missing demangler entry point",
    "cannot read past current end of file",
    "no symbolic debug information available for module",
    "libctf call failed unexpectedly",
    "thread local storage has not yet been allocated",
    "object does not support thread local storage",
    "no such member of structure or union",
    "inappropriate context for action",
    "module incompatible with target",
    "operation not supported by target on this platform",
    "kmdb is not loaded",
    "kmdb is loading",
    "kmdb is already loaded",
    "kmdb is unloading",
    "kmdb could not be loaded",
    "boot-loaded kmdb cannot be unloaded",
    "too many enabled watchpoints for this machine",
    "DTrace is active",
    "boot-loaded module cannot be unloaded",
    "stack frame pointer is invalid",
};
static_assert(sizeof kMdbTexts / sizeof kMdbTexts[0] == EMDB_END - EMDB_BASE);

// The illumos C library's messages, keyed by the Linux errno constant a dmod sees (the values
// differ between the systems above ERANGE, the names do not).
const char* illumos_libc_text(int e) {
    switch (e) {
    case 0: return "Error 0";
    case EPERM: return "Not owner";
    case ENOENT: return "No such file or directory";
    case ESRCH: return "No such process";
    case EINTR: return "Interrupted system call";
    case EIO: return "I/O error";
    case ENXIO: return "No such device or address";
    case E2BIG: return "Arg list too long";
    case ENOEXEC: return "Exec format error";
    case EBADF: return "Bad file number";
    case ECHILD: return "No child processes";
    case EAGAIN: return "Resource temporarily unavailable";
    case ENOMEM: return "Not enough space";
    case EACCES: return "Permission denied";
    case EFAULT: return "Bad address";
    case ENOTBLK: return "Block device required";
    case EBUSY: return "Device busy";
    case EEXIST: return "File exists";
    case EXDEV: return "Cross-device link";
    case ENODEV: return "No such device";
    case ENOTDIR: return "Not a directory";
    case EISDIR: return "Is a directory";
    case EINVAL: return "Invalid argument";
    case ENFILE: return "File table overflow";
    case EMFILE: return "Too many open files";
    case ENOTTY: return "Inappropriate ioctl for device";
    case ETXTBSY: return "Text file busy";
    case EFBIG: return "File too large";
    case ENOSPC: return "No space left on device";
    case ESPIPE: return "Illegal seek";
    case EROFS: return "Read-only file system";
    case EMLINK: return "Too many links";
    case EPIPE: return "Broken pipe";
    case EDOM: return "Argument out of domain";
    case ERANGE: return "Result too large";
    case ENOMSG: return "No message of desired type";
    case EIDRM: return "Identifier removed";
    case EDEADLK: return "Deadlock situation detected/avoided";
    case ENOLCK: return "No record locks available";
    case ENOSTR: return "Not a stream device";
    case ENODATA: return "No data available";
    case ETIME: return "Timer expired";
    case ENOSR: return "Out of stream resources";
    case ENOLINK: return "Link has been severed";
    case EPROTO: return "Protocol error";
    case EBADMSG: return "Not a data message";
    case ENAMETOOLONG: return "File name too long";
    case EOVERFLOW: return "Value too large for defined data type";
    case ENOSYS: return "Operation not applicable";
    case ENOTEMPTY: return "Directory not empty";
    case ELOOP:
        return "Number of symbolic links encountered during path name traversal exceeds "
               "MAXSYMLINKS";
    case ENOTSUP: return "Operation not supported";
    case ECANCELED: return "Operation canceled";
    case ETIMEDOUT: return "Connection timed out";
    case ECONNREFUSED: return "Connection refused";
    case ECONNRESET: return "Connection reset by peer";
    case EADDRINUSE: return "Address already in use";
    case ENOTSOCK: return "Socket operation on non-socket";
    case EOWNERDEAD: return "Previous owner died";
    case ENOTRECOVERABLE: return "State not recoverable";
    default: return nullptr;
    }
}

// Sizes of the last partial transfer, for the EMDB_PARTIAL text (as illumos keeps them).
thread_local size_t g_partial_done = 0;
thread_local size_t g_partial_total = 0;
thread_local char g_partial_text[64];

}  // namespace

int set_errno(int e) {
    errno = e;
    return -1;
}

void set_partial_sizes(size_t done, size_t total) {
    g_partial_done = done;
    g_partial_total = total;
}

const char* strerror_mdb(int e) {
    if (e >= EMDB_BASE && e < EMDB_END) {
        if (e == EMDB_PARTIAL) {
            std::snprintf(g_partial_text, sizeof g_partial_text, "only %zu of %zu bytes could be read",
                          g_partial_done, g_partial_total);
            return g_partial_text;
        }
        // As mdb: the text of the libctf error behind the last EMDB_CTF.
        if (e == EMDB_CTF && last_ctf_error() != 0) return ctf_errmsg(last_ctf_error());
        return kMdbTexts[e - EMDB_BASE];
    }
    if (e >= 0 && e < EMDB_BASE) {
        if (const char* t = illumos_libc_text(e)) return t;
    }
    return "unknown error";
}

ssize_t fault_to_errno(const sim::Fault& f, uint64_t addr, size_t len) {
    uint64_t done = f.addr >= addr ? f.addr - addr : 0;
    if (done > 0 && done < len) {
        set_partial_sizes(done, len);
        return set_errno(EMDB_PARTIAL);
    }
    return set_errno(EMDB_NOMAP);
}

}  // namespace mdbsim::host
