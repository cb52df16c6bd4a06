// The rest of the module API core (modapi.md §13): dot, pipes, extra data, target state,
// callbacks, bit and byte-order helpers, and strlcat where glibc lacks it. Tab completion is in
// complete/tab_api.cpp.
#include <sys/mdb_modapi.h>

#include <algorithm>
#include <cstring>

#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"

using namespace mdbsim::host;

namespace {

// Warns and abandons the command; see args.cpp for why throwing through C frames is safe.
[[noreturn]] void dcmd_failure(Session& s, const char* what) {
    warn(s, "dcmd failure: %s invoked with NULL pointer\n", what);
    throw CommandAbort{"", true};
}

}  // namespace

extern "C" {

void mdb_set_dot(uintmax_t addr) {
    if (Session* s = Session::current()) {
        s->dot = addr;
        s->increment = 0;
    }
}

uintmax_t mdb_get_dot(void) {
    Session* s = Session::current();
    return s ? s->dot : 0;
}

void mdb_get_pipe(mdb_pipe_t* p) {
    Session* s = Session::current();
    if (!s) return;
    if (!p) dcmd_failure(*s, "mdb_get_pipe");
    p->pipe_data = nullptr;
    p->pipe_len = 0;
    std::optional<PipeContext::Input>& in = s->pipe.input;
    if (!in || in->pos >= in->addrs.size()) return;
    p->pipe_data = in->addrs.data() + in->pos;
    p->pipe_len = in->addrs.size() - in->pos;
    // Consumed: the stage's loop moves past the last address when this invocation returns.
    in->pos = in->addrs.size() - 1;
}

void mdb_set_pipe(const mdb_pipe_t* p) {
    Session* s = Session::current();
    if (!s) return;
    if (!p) dcmd_failure(*s, "mdb_set_pipe");
    std::optional<PipeContext::Output>& out = s->pipe.output;
    if (!out) return;
    if (p->pipe_data && p->pipe_len > 0)
        out->addrs.assign(p->pipe_data, p->pipe_data + p->pipe_len);
    else
        out->addrs.clear();
    out->replaced = true;
}

ssize_t mdb_get_xdata(const char* name, void*, size_t) {
    if (!name) return set_errno(EINVAL);
    return set_errno(EMDB_NOXD);
}

int mdb_get_state(void) { return MDB_STATE_DEAD; }

void* mdb_callback_add(int class_, mdb_callback_f fp, void* arg) {
    Session* s = Session::current();
    if (!s) {
        set_errno(EMDB_NOPROC);
        return nullptr;
    }
    if ((class_ != MDB_CALLBACK_STCHG && class_ != MDB_CALLBACK_PROMPT) || !fp) {
        set_errno(EINVAL);
        return nullptr;
    }
    return s->registry().add_callback(calling_module(*s), class_, fp, arg);
}

void mdb_callback_remove(void* hdl) {
    Session* s = Session::current();
    if (!s || !hdl) return;
    s->registry().remove_callback(hdl);
}

int mdb_ffs(uintmax_t v) { return v == 0 ? 0 : __builtin_ctzll(v) + 1; }

void mdb_nhconvert(void* dst, const void* src, size_t n) {
    if (!dst || !src || n == 0) return;
    auto* d = static_cast<unsigned char*>(dst);
    const auto* sp = static_cast<const unsigned char*>(src);
    if (d == sp) {
        std::reverse(d, d + n);
        return;
    }
    for (size_t i = 0; i < n; ++i) d[i] = sp[n - 1 - i];
}

#if !defined(__GLIBC__) || __GLIBC__ < 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ < 38)
// illumos dmods call strlcat; glibc gained it only in 2.38.
size_t strlcat(char* dst, const char* src, size_t size) {
    size_t dlen = strnlen(dst, size);
    size_t slen = std::strlen(src);
    if (dlen == size) return size + slen;
    size_t copy = std::min(slen, size - dlen - 1);
    std::memcpy(dst + dlen, src, copy);
    dst[dlen + copy] = '\0';
    return dlen + slen;
}
#endif

}  // extern "C"
