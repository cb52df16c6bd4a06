#include "lang_shell.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace mdbsim::host::lang {

namespace {

// Closes whatever descriptors it still holds, on every path out of run_shell.
struct Fds {
    int fd[4] = {-1, -1, -1, -1};  // stdout read/write, stdin read/write
    ~Fds() {
        for (int f : fd)
            if (f >= 0) ::close(f);
    }
    void close(int i) {
        if (fd[i] >= 0) ::close(fd[i]);
        fd[i] = -1;
    }
};

// A filter whose command exits early must not kill the debugger with SIGPIPE.
struct IgnoreSigpipe {
    struct sigaction old {};
    IgnoreSigpipe() {
        struct sigaction sa {};
        sa.sa_handler = SIG_IGN;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGPIPE, &sa, &old);
    }
    ~IgnoreSigpipe() { sigaction(SIGPIPE, &old, nullptr); }
};

void pump(Fds& p, const ShellRun& how, size_t& written);

}  // namespace

std::string shell_path() {
    const char* sh = std::getenv("SHELL");
    return sh && *sh ? sh : "/bin/sh";
}

int run_shell(const std::string& command, const ShellRun& how) {
    Fds p;
    if (pipe2(&p.fd[0], O_CLOEXEC) != 0) return -1;
    if (how.input && pipe2(&p.fd[2], O_CLOEXEC) != 0) return -1;
    const std::string sh = shell_path();
    IgnoreSigpipe ignore;

    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        // Child: only async-signal-safe calls from here on.
        if (how.input) {
            dup2(p.fd[2], STDIN_FILENO);
        } else if (!how.inherit_stdin) {
            int null = open("/dev/null", O_RDONLY);
            if (null >= 0) dup2(null, STDIN_FILENO);
        }
        dup2(p.fd[1], STDOUT_FILENO);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        execl(sh.c_str(), sh.c_str(), "-c", command.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    p.close(1);
    p.close(2);
    size_t written = 0;
    if (how.input) {
        fcntl(p.fd[3], F_SETFL, fcntl(p.fd[3], F_GETFL) | O_NONBLOCK);
        if (how.input->empty()) p.close(3);
    }
    try {
        pump(p, how, written);
    } catch (...) {
        kill(pid, SIGKILL);
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        throw;
    }
    p.close(3);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

namespace {

// Feeds the command's stdin and hands its stdout on until it closes its stdout.
void pump(Fds& p, const ShellRun& how, size_t& written) {
    char buf[4096];
    while (p.fd[0] >= 0) {
        if (how.check) how.check();
        pollfd fds[2] = {{p.fd[0], POLLIN, 0}, {p.fd[3], POLLOUT, 0}};
        int n = poll(fds, p.fd[3] >= 0 ? 2 : 1, how.check ? 100 : -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (p.fd[3] >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(p.fd[3], how.input->data() + written, how.input->size() - written);
            if (w > 0) written += size_t(w);
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == how.input->size()) p.close(3);
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t r = read(p.fd[0], buf, sizeof buf);
            if (r > 0) {
                if (how.output) how.output(std::string_view(buf, size_t(r)));
            } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
                p.close(0);
            }
        }
    }
}

}  // namespace

}  // namespace mdbsim::host::lang
