// mdbsim [options] [file]: mdb's command language over a simulated kernel target.
//
// Input comes from -e (string input: the first error ends the run), from standard input when it
// is not a terminal (file input: errors skip to the next statement, no prompt), or from the
// prompt (prompt.cpp: libedit, ^C, Tab, the pager). The exit status follows modapi.md §16.8.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/host/lang.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/sim/image.hpp"
#include "mdbsim/sim/kvm/corrupt.hpp"
#include "mdbsim/sim/kvm/layout.hpp"
#include "mdbsim/sim/target.hpp"
#include "prompt.hpp"


namespace {

using mdbsim::host::Session;

struct Options {
    std::string scenario;  // NAME[,key=value,...]; empty: the default scenario
    std::string backend = "flat";
    std::vector<std::string> commands;  // -e, joined by newlines
    std::vector<std::string> module_dirs;
    bool list_scenarios = false;
    bool list_corruptions = false;
    bool list_layouts = false;
    bool writable = false;
    std::string file;
    std::string save;  // write the target as an ELF core image and exit
    uint64_t step_budget = mdbsim::host::kDefaultStepBudget;
    double timeout_seconds = 0;
};

void list_scenarios() {
    for (const auto& sc : mdbsim::fixtures::list_scenarios()) {
        std::printf("%-16s %s\n", sc.name.c_str(), sc.description.c_str());
        for (const auto& p : sc.params) {
            std::string def = p.default_value.empty() ? "" : " (default " + p.default_value + ")";
            std::printf("    %-12s %s%s\n", p.name.c_str(), p.description.c_str(), def.c_str());
        }
    }
}

std::unique_ptr<mdbsim::sim::Target> make_scenario(const std::string& spec, mdbsim::sim::Backend backend) {
    return mdbsim::fixtures::make_scenario(spec.empty() ? mdbsim::fixtures::kDefaultScenario : spec, backend).target;
}

bool has_kvm_state(const mdbsim::sim::Target& t) { return mdbsim::fixtures::has_kvm_state(t); }

// Throws std::exception with a message for the user.
std::unique_ptr<mdbsim::sim::Target> make_target(const Options& opt) {
    if (!opt.file.empty()) {
        mdbsim::sim::OpenOptions oo;
        oo.writable = opt.writable;
        mdbsim::sim::ImageFacts facts;
        auto target = mdbsim::sim::open_image(opt.file, oo, &facts);
        // For ::status: what was opened (not saved into images: these keys describe this run).
        target->info()["target.image"] = opt.file;
        target->info()["target.kind"] = mdbsim::sim::to_string(facts.kind);
        return target;
    }
    auto target = make_scenario(opt.scenario, mdbsim::sim::backend_from_string(opt.backend));
    target->set_writable(opt.writable);
    return target;
}

// A target with kvm state gets our kvm dmod, as mdb autoloads the dmod of a kernel module.
void autoload_kvm(Session& s) {
    for (const std::string& dir : s.registry().module_path()) {
        std::string path = dir + "/kvm.so";
        if (access(path.c_str(), R_OK) == 0) {
            s.load_module(path);
            return;
        }
    }
    std::fprintf(stderr, "mdbsim: the target holds kvm state but no kvm.so was found in the module path\n");
}

// -e: string input. Exit 1 if an error ended the run or the last dcmd failed.
int run_commands(Session& s, const std::string& text) {
    int rc;
    try {
        rc = s.run(text, Session::InputKind::string, "(string)");
    } catch (const mdbsim::host::QuitRequest&) {
        rc = 0;
    }
    return (rc != 0 || s.last_status != 0) ? 1 : 0;
}

// Standard input that is not a terminal: file input, one line at a time so output appears as
// soon as each command has run.
int run_stdin(Session& s) {
    std::string line;
    int line_no = 1;
    try {
        while (std::getline(std::cin, line)) {
            if (!std::cin.eof()) line += '\n';
            s.language().run(line, Session::InputKind::file, "<stdin>", line_no);
            // A dmod that faulted was reported and unloaded; a script cannot go on as written.
            if (s.recovered_faults() > 0) return 1;
            ++line_no;
        }
    } catch (const mdbsim::host::QuitRequest& q) {
        return q.status;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt;
    CLI::App app{"mdbsim: illumos mdb debugger modules on a simulated kernel target"};
    auto* scenario_opt = app.add_option("--scenario", opt.scenario,
                                        "target scenario: NAME[,key=value,...] (default: the default scenario)");
    app.add_option("--backend", opt.backend, "memory backend for a scenario")
        ->check(CLI::IsMember({"flat", "unicorn"}));
    app.add_option("-e", opt.commands, "run these commands and exit (status 1 if the last one fails)")
        ->allow_extra_args(false);
    app.add_option("-L", opt.module_dirs, "directory searched by ::load (may be repeated)")
        ->allow_extra_args(false);
    app.add_flag("--list-scenarios", opt.list_scenarios, "list the scenarios and exit");
    app.add_flag("--list-corruptions", opt.list_corruptions,
                 "list the corruption kinds of --scenario corrupt,kind=K and exit");
    app.add_flag("--list-layouts", opt.list_layouts,
                 "list the kvm layout profiles a scenario's layout=NAME takes and exit");
    app.add_flag("-w", opt.writable, "open the target for writing");
    auto* file_opt = app.add_option("file", opt.file,
                                    "an ELF file to open as the target (an mdbsim image or any ELF object)");
    auto* image_opt =
        app.add_option("--image", opt.file, "open a saved image (same as the file operand)")->excludes(file_opt);
    scenario_opt->excludes(file_opt)->excludes(image_opt);
    app.add_option("--save", opt.save, "write the target as an ELF core image FILE (and FILE.syms), then exit");
    app.add_option("--step-budget", opt.step_budget,
                   "work units per command (walk steps, dcmd calls, target reads); 0: unlimited")
        ->capture_default_str();
    app.add_option("--timeout", opt.timeout_seconds, "seconds per command before it is stopped; 0: none")
        ->check([](const std::string& text) -> std::string {
            double v = -1;
            return CLI::detail::lexical_cast(text, v) && v >= 0 && v < 1e9 ? "" : "must be a number of seconds, 0 or more";
        })
        ->capture_default_str();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    if (opt.list_scenarios) {
        list_scenarios();
        return 0;
    }
    if (opt.list_corruptions) {
        for (auto kind : mdbsim::sim::kvm::all_corruptions()) {
            std::string name(mdbsim::sim::kvm::to_string(kind));
            std::string what(mdbsim::sim::kvm::summary(kind));
            std::printf("%-24s %s\n", name.c_str(), what.c_str());
        }
        return 0;
    }
    if (opt.list_layouts) {
        const auto& def = mdbsim::sim::kvm::Layout::default_layout();
        for (const auto* l : mdbsim::sim::kvm::Layout::all())
            std::printf("%-12s %s%s\n", l->name().c_str(), l->description().c_str(), l == &def ? " (default)" : "");
        return 0;
    }

    std::unique_ptr<mdbsim::sim::Target> target;
    try {
        target = make_target(opt);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mdbsim: %s\n", e.what());
        return 2;
    }

    if (!opt.save.empty()) {
        try {
            mdbsim::sim::save_image(*target, opt.save);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "mdbsim: %s\n", e.what());
            return 2;
        }
        std::fprintf(stderr, "mdbsim: saved the target to %s (symbols also in %s.syms)\n", opt.save.c_str(),
                     opt.save.c_str());
        return 0;
    }

    int status = 0;
    {
        mdbsim::host::SessionOptions session_options;
        session_options.step_budget = opt.step_budget;
        session_options.timeout_seconds = opt.timeout_seconds;
        Session s(*target, session_options);
        s.install_sigint_handler();
        auto& path = s.registry().module_path();
        path.insert(path.begin(), opt.module_dirs.begin(), opt.module_dirs.end());
        if (has_kvm_state(*target)) autoload_kvm(s);
        if (!opt.commands.empty()) {
            std::string text;
            for (const std::string& c : opt.commands) text += c + "\n";
            status = run_commands(s, text);
        } else if (isatty(STDIN_FILENO)) {
            status = mdbsim::cli::run_prompt(s);
        } else {
            status = run_stdin(s);
        }
    }
    std::fflush(stdout);
    return status;
}
