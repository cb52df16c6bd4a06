// The output buffer model of modapi.md §12.1: one pending line with a margin, INDENT, tab stops
// and the autowrap rules. The conversion engine (output_printf.cpp) builds on these primitives.
#include "mdbsim/host/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "mdbsim/host/session.hpp"
#include "output_inline.hpp"

namespace mdbsim::host {

namespace {
// illumos BUFSIZ: the size of an mdb i/o buffer, and therefore the column limit of a pipe.
constexpr size_t kIllumosBufsiz = 1024;
constexpr unsigned long kDefaultMargin = 16;

// Writes all of text, retrying short writes; a closed or failing descriptor drops the output, as
// mdb does.
void write_all(int fd, std::string_view text) {
    const char* p = text.data();
    size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
}
}  // namespace

SinkBuffer::SinkBuffer(Sink sink, size_t capacity)
    : sink_(std::move(sink)), capacity_(std::max<size_t>(capacity, 1)) {
    buf_.reserve(capacity_);
}

SinkBuffer::~SinkBuffer() {
    try {
        drain();
    } catch (...) {
    }
}

void SinkBuffer::write_slow(std::string_view text) {
    drain();
    if (text.size() >= capacity_) {
        if (sink_) sink_(text);
        return;
    }
    buf_.append(text);
}

void SinkBuffer::drain() {
    if (buf_.empty()) return;
    struct Clear {
        std::string& buf;
        ~Clear() { buf.clear(); }  // also when the sink throws: the text is not handed on twice
    } clear{buf_};
    if (sink_) sink_(buf_);
}

Output::Output(Session& s, Kind kind, Sink sink, int cols)
    : Output(&s, kind, std::move(sink), cols, kIllumosBufsiz) {}

Output::Output(Session& s, Kind kind, std::shared_ptr<SinkBuffer> buffer, int cols)
    : Output(&s, kind, [buffer](std::string_view text) { if (buffer) buffer->write(text); }, cols,
             kIllumosBufsiz) {
    buffer_ = std::move(buffer);
    direct_ = buffer_.get();
}

Output::Output(Session* s, Kind kind, Sink sink, int cols, size_t bufsiz)
    : session_(s), kind_(kind), sink_(std::move(sink)), cols_(cols), bufsiz_(bufsiz) {
    if (cols_ <= 0) cols_ = 80;
    if (bufsiz_ < 2) bufsiz_ = 2;
    if (session_ != nullptr) autowrap_opt_ = &session_->autowrap;
    line_.grow(256);  // room for a typical line; clear() keeps the capacity from then on
}

std::unique_ptr<Output> Output::detached(Kind kind, Sink sink, int cols) {
    return std::unique_ptr<Output>(new Output(nullptr, kind, std::move(sink), cols, kIllumosBufsiz));
}

Output::~Output() {
    // Text still pending at destruction is written, except on a pipe whose reader may be gone.
    if (kind_ != Kind::pipe) {
        try {
            flush();
        } catch (...) {
        }
    }
}

Output::Sink Output::fd_sink(int fd) {
    return [fd](std::string_view text) { write_all(fd, text); };
}

Output::Sink Output::fd_sink(int fd, std::shared_ptr<SinkBuffer> before) {
    return [fd, before = std::move(before)](std::string_view text) {
        if (before) before->drain();
        write_all(fd, text);
    };
}

SessionStreams SessionStreams::standard() {
    SessionStreams st;
    st.err_kind = isatty(2) ? Output::Kind::terminal : Output::Kind::file;
    if (isatty(1)) {
        st.out_kind = Output::Kind::terminal;
        st.out = Output::fd_sink(1);
        st.err = Output::fd_sink(2);
    } else {
        st.out_buffer = std::make_shared<SinkBuffer>(Output::fd_sink(1));
        st.err = Output::fd_sink(2, st.out_buffer);
    }
    return st;
}

SessionStreams SessionStreams::capture(std::string& out, std::string& err) {
    SessionStreams st;
    st.out = [&out](std::string_view t) { out.append(t); };
    st.err = [&err](std::string_view t) { err.append(t); };
    return st;
}

SessionStreams SessionStreams::discard() {
    SessionStreams st;
    st.out = [](std::string_view) {};
    st.err = [](std::string_view) {};
    return st;
}

size_t Output::column() const { return line_.size(); }

// A pipe has no column limit but its buffer; terminals and files wrap and tab at cols.
size_t Output::tab_limit() const {
    return kind_ == Kind::pipe ? bufsiz_ : static_cast<size_t>(cols_);
}

// mdb keeps the margin inside the line; a margin as wide as the line could never be written.
size_t Output::effective_margin() const { return std::min<size_t>(margin, tab_limit() - 1); }

bool Output::line_is_margin() const {
    if (line_.empty() || line_.size() != effective_margin()) return false;
    return std::all_of(line_.data(), line_.data() + line_.size(), [](char c) { return c == ' '; });
}

void Output::Line::grow(size_t need) {
    if (need <= cap_) return;
    size_t cap = std::max<size_t>({need, 2 * cap_, 64});
    std::unique_ptr<char[]> bigger(new char[cap]);
    if (size_ != 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    cap_ = cap;
}

void Output::indent_line() { line_.assign(effective_margin(), ' '); }

void Output::newline() {
    // ^C stops a command at its next output line as well as at its next read or walk step.
    if (sigint_pending && session_ != nullptr && session_->in_command()) session_->check_interrupt();
    ensure_indent();
    line_.push_back('\n');
    std::string_view out = line_.view();
    out.remove_prefix(std::min(written_, line_.size()));
    emit(out);
    line_.clear();
    written_ = 0;
    continued_ = false;
    ensure_indent();
}

void Output::chunk_flush() {
    std::string_view out = line_.view();
    out.remove_prefix(std::min(written_, line_.size()));
    if (!out.empty()) emit(out);
    line_.clear();
    written_ = 0;
    continued_ = true;
}

void Output::flush() {
    if (written_ < line_.size()) {
        std::string_view out = line_.view();
        out.remove_prefix(written_);
        emit(out);
        written_ = line_.size();
    }
    if (buffer_) buffer_->drain();
}

// The common case — the text fits in the line — appends at once; the loops below split text at
// the limit (a newline with autowrap, a partial write without).
void Output::put_chunk(std::string_view text) {
    ensure_indent();
    if (line_.size() + text.size() <= chunk_limit()) {
        line_.append(text);
        return;
    }
    put_chunk_slow(text);
}

void Output::break_line() {
    if (autowrap_active())
        newline();
    else
        chunk_flush();
}

void Output::put_chunk_slow(std::string_view text) {
    while (!text.empty()) {
        size_t limit = chunk_limit();
        if (line_.size() >= limit) {
            break_line();
            continue;
        }
        size_t room = limit - line_.size();
        size_t m = std::min(room, text.size());
        line_.append(text.data(), m);
        text.remove_prefix(m);
        if (m == room && !text.empty()) {
            break_line();
        }
    }
}

void Output::fill(char c, size_t n) {
    ensure_indent();
    if (line_.size() + n <= chunk_limit()) {
        line_.append(n, c);
        return;
    }
    fill_slow(c, n);
}

void Output::fill_slow(char c, size_t n) {
    while (n > 0) {
        size_t limit = chunk_limit();
        if (line_.size() >= limit) {
            break_line();
            continue;
        }
        size_t room = limit - line_.size();
        size_t m = std::min(room, n);
        line_.append(m, c);
        n -= m;
        if (m == room && n > 0) {
            break_line();
        }
    }
}

void Output::whitespace(size_t n) {
    ensure_indent();
    if (autowrap_active() && line_.size() + n >= static_cast<size_t>(cols_))
        newline();
    else
        fill(' ', n);
}

void Output::tab(size_t stop) {
    if (stop == 0) return;
    ensure_indent();
    size_t col = line_.size();
    size_t next = (col + stop) / stop * stop;
    if (next < tab_limit())
        fill(' ', next - col);
    else
        newline();
}

void Output::puts(std::string_view text) { puts_fast(text.data(), text.size()); }

std::unique_ptr<Output> Output::staging(Session* s, Sink sink, size_t bufsiz) {
    return std::unique_ptr<Output>(new Output(s, Kind::pipe, std::move(sink), static_cast<int>(bufsiz), bufsiz));
}

void Output::set_indent(bool on) {
    if (on) {
        indent = true;
        ensure_indent();
    } else {
        if (written_ == 0 && line_is_margin()) line_.clear();
        indent = false;
    }
}

void Output::set_margin(unsigned long m) {
    if (written_ == 0 && line_is_margin()) line_.clear();
    margin = m;
    ensure_indent();
}

unsigned long Output::inc_indent(unsigned long n) {
    if (indent) {
        unsigned long old = margin;
        set_margin(margin + n);
        return old;
    }
    set_margin(n);
    set_indent(true);
    return 0;
}

unsigned long Output::dec_indent(unsigned long n) {
    if (!indent) return 0;
    unsigned long old = margin;
    if (margin < n || margin - n == 0) {
        set_indent(false);
        margin = kDefaultMargin;
    } else {
        set_margin(margin - n);
    }
    return old;
}

void Output::implicit_newline() {
    if (written_ == 0 && line_is_margin()) line_.clear();
    if (!line_.empty())
        newline();
    else
        ensure_indent();
}

void Output::discard_pending() { line_.truncate(written_); }

void Output::reset() {
    line_.clear();
    written_ = 0;
    continued_ = false;
    indent = false;
    margin = kDefaultMargin;
    force_autowrap = false;
}

}  // namespace mdbsim::host
