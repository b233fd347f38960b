// test_packages.cpp — the two Debian packages scripts/package makes from this
// build: what they hold, lintian's verdict, and every maintainer script run for
// real by dpkg in a Debian 12 chroot (scripts/test-chroot, made by mmdebstrap
// from Debian's archive): install, upgrade with IT's changed config and
// changed templates (no question asked), remove (the data stays), purge (it
// goes). CTest's fixtures build the packages and the chroot first
// (tests/CMakeLists.txt). systemd is not PID 1 here: the units' enabling is
// checked through deb-systemd-helper's links, as dpkg leaves them.
#include "process.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <regex>

using namespace pulse::testing;
namespace fs = std::filesystem;

namespace {

const fs::path kPackages = fs::path(PULSE_BINARY_DIR) / "packages";
const fs::path kChroot = fs::path(PULSE_BINARY_DIR) / "test-chroot";
const std::vector<std::string> kEnv = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8"};

// The one .deb of package in build/packages.
fs::path deb_of(const std::string& package) {
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(kPackages)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(package + "_", 0) == 0 && e.path().extension() == ".deb") found.push_back(e.path());
    }
    REQUIRE_MESSAGE(found.size() == 1, "expected one ", package, "_*.deb in ", kPackages.string());
    return found.front();
}

// Runs a shell command inside the chroot, stdin /dev/null (so any question
// dpkg asks fails the command instead of waiting).
ProcessResult in_chroot(const std::string& command, int timeout_s = 120) {
    static const fs::path logs = temp_folder();
    return run_process({"/usr/sbin/chroot", kChroot.string(), "/bin/sh", "-c", command}, kEnv, logs, timeout_s);
}

std::string field(const fs::path& deb, const std::string& name) {
    const ProcessResult r = run_process({"/usr/bin/dpkg-deb", "-f", deb.string(), name}, {}, temp_folder(), 30);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find_last_not_of('\n') + 1);
}

// A copy of deb as version `version`, with `note` appended to each template
// in templates: the upgrade a later release brings. md5sums follow.
fs::path later_release(const fs::path& deb, const std::string& version, const std::vector<std::string>& templates,
                       const std::string& note) {
    const fs::path work = temp_folder();
    const fs::path root = work / "root";
    REQUIRE(run_process({"/usr/bin/dpkg-deb", "-R", deb.string(), root.string()}, {}, work, 60).exit_code == 0);
    std::string control = slurp(root / "DEBIAN" / "control");
    control = std::regex_replace(control, std::regex("\nVersion: [^\n]*"), "\nVersion: " + version);
    write_file(root / "DEBIAN" / "control", control);
    for (const std::string& t : templates) {
        std::ofstream(root / t.substr(1), std::ios::app) << note;
    }
    const ProcessResult sums = run_process(
        {"/bin/sh", "-c", "cd '" + root.string() + "' && find usr lib -type f | sort | xargs md5sum > DEBIAN/md5sums"},
        {}, work, 60);
    REQUIRE(sums.exit_code == 0);
    const fs::path out = work / (deb.stem().string() + "-later.deb");
    const ProcessResult b =
        run_process({"/usr/bin/dpkg-deb", "--root-owner-group", "-b", root.string(), out.string()}, {}, work, 120);
    REQUIRE_MESSAGE(b.exit_code == 0, b.err);
    return out;
}

// "owner:group mode" of a path inside the chroot ("" when it does not exist).
std::string owner_mode(const std::string& path) {
    const ProcessResult r = in_chroot("stat -c '%U:%G %a' '" + path + "' 2>/dev/null");
    return r.out.substr(0, r.out.find('\n'));
}

bool exists_in_chroot(const std::string& path) { return fs::exists(fs::symlink_status(kChroot / path.substr(1))); }

std::string status_of(const std::string& package) {
    return in_chroot("dpkg-query -W -f='${Status} ${Version}' " + package + " 2>/dev/null").out;
}

}  // namespace

TEST_CASE("the two packages hold the programs, data, units and documents where the layout says, and no conffile") {
    const fs::path kiosk = deb_of("pulse-kiosk"), collector = deb_of("pulse-collector");
    // The version is git describe's, in both names and both control files.
    const std::string version = field(kiosk, "Version");
    CHECK(std::regex_match(version, std::regex(R"(\d+\.\d+\.\d+\+\d+\.(g[0-9a-f]+|unknown)(\.dirty)?)")));
    CHECK(field(collector, "Version") == version);
    CHECK(kiosk.filename().string() == "pulse-kiosk_" + version + "_amd64.deb");
    CHECK(collector.filename().string() == "pulse-collector_" + version + "_amd64.deb");
    CHECK(field(kiosk, "Depends").find("cage") != std::string::npos);
    CHECK(field(collector, "Depends").find("postgresql") == std::string::npos);  // optional: Suggests
    CHECK(field(collector, "Suggests") == "nginx, postgresql");

    const auto listing = [](const fs::path& deb) {
        return run_process({"/usr/bin/dpkg-deb", "-c", deb.string()}, {}, temp_folder(), 30).out;
    };
    const std::string k = listing(kiosk), c = listing(collector);
    for (const char* path : {"./usr/bin/pulse-kiosk", "./usr/share/pulse/questions.toml", "./usr/share/pulse/texts.toml",
                             "./usr/share/pulse/terminal.example.toml", "./usr/share/pulse/fonts/OpenSans-Regular.ttf",
                             "./lib/systemd/system/pulse-kiosk.service",
                             "./lib/systemd/system/pulse-kiosk-out-of-order.service",
                             "./lib/udev/rules.d/90-pulse-backlight.rules",
                             "./usr/share/doc/pulse-kiosk/copyright", "./usr/share/doc/pulse-kiosk/changelog.gz",
                             "./usr/share/man/man1/pulse-kiosk.1.gz"}) {
        CHECK_MESSAGE(k.find(path) != std::string::npos, "pulse-kiosk lacks ", path);
    }
    for (const char* path : {"./usr/bin/pulse-collector", "./usr/share/pulse/collector/questions.toml",
                             "./usr/share/pulse/collector/summary_texts.toml",
                             "./usr/share/pulse/collector/collector.example.toml",
                             "./usr/share/pulse/collector/nginx-site.conf", "./lib/systemd/system/pulse-collector.service",
                             "./usr/share/doc/pulse-collector/copyright", "./usr/share/doc/pulse-collector/changelog.gz",
                             "./usr/share/man/man1/pulse-collector.1.gz"}) {
        CHECK_MESSAGE(c.find(path) != std::string::npos, "pulse-collector lacks ", path);
    }
    // Nothing under /etc: configuration is provisioning's, so dpkg never asks about it.
    CHECK(k.find("./etc/") == std::string::npos);
    CHECK(c.find("./etc/") == std::string::npos);
    for (const fs::path& deb : {kiosk, collector}) {
        const ProcessResult conffiles =
            run_process({"/usr/bin/dpkg-deb", "-I", deb.string(), "conffiles"}, {}, temp_folder(), 30);
        CHECK_MESSAGE(conffiles.exit_code != 0, deb.filename().string(), " has conffiles: ", conffiles.out);
    }
}

TEST_CASE("lintian finds no error and no warning in either package") {
    const ProcessResult r = run_process(
        {"/usr/bin/lintian", "--fail-on", "error,warning", deb_of("pulse-kiosk").string(), deb_of("pulse-collector").string()},
        {}, temp_folder(), 300);
    CHECK_MESSAGE(r.exit_code == 0, r.out, r.err);
    CHECK(r.out.find("E: ") == std::string::npos);
    CHECK(r.out.find("W: ") == std::string::npos);
}

TEST_CASE("in a Debian 12 chroot: install, upgrade with a changed config and no question, remove keeps the data, "
          "purge removes it") {
    REQUIRE_MESSAGE(fs::exists(kChroot / ".ready"), "no chroot: scripts/test-chroot ", kChroot.string());
    // A rerun starts clean.
    in_chroot("dpkg --purge pulse-kiosk pulse-collector >/dev/null 2>&1; rm -rf /tmp/pulse-debs; mkdir /tmp/pulse-debs");
    const fs::path kiosk = deb_of("pulse-kiosk"), collector = deb_of("pulse-collector");
    const std::string version = field(kiosk, "Version");
    fs::copy_file(kiosk, kChroot / "tmp/pulse-debs/kiosk-1.deb");
    fs::copy_file(collector, kChroot / "tmp/pulse-debs/collector-1.deb");
    const std::string later = version + ".1";
    fs::copy_file(later_release(kiosk, later, {"/usr/share/pulse/terminal.example.toml"}, "# later release\n"),
                  kChroot / "tmp/pulse-debs/kiosk-2.deb");
    fs::copy_file(later_release(collector, later,
                                {"/usr/share/pulse/collector/nginx-site.conf",
                                 "/usr/share/pulse/collector/collector.example.toml"},
                                "# later release\n"),
                  kChroot / "tmp/pulse-debs/collector-2.deb");

    // --- install: dpkg itself, which refuses a package whose dependencies are
    // missing (they are in the chroot already, so this runs offline).
    ProcessResult r = in_chroot("dpkg -i /tmp/pulse-debs/kiosk-1.deb /tmp/pulse-debs/collector-1.deb 2>&1", 300);
    REQUIRE_MESSAGE(r.exit_code == 0, r.out);
    CHECK(status_of("pulse-kiosk") == "install ok installed " + version);
    CHECK(status_of("pulse-collector") == "install ok installed " + version);
    // The system users, their state folders, /etc/pulse.
    CHECK(in_chroot("getent passwd pulse-kiosk").out.find(":/var/lib/pulse/kiosk:/usr/sbin/nologin") != std::string::npos);
    CHECK(in_chroot("getent passwd pulse-collector").exit_code == 0);
    CHECK(std::stoi("0" + in_chroot("id -u pulse-kiosk").out) < 1000);  // a system user
    CHECK(std::stoi("0" + in_chroot("id -u pulse-kiosk").out) > 0);
    CHECK(owner_mode("/var/lib/pulse/kiosk") == "pulse-kiosk:pulse-kiosk 750");
    CHECK(owner_mode("/var/lib/pulse/collector") == "pulse-collector:pulse-collector 750");
    CHECK(owner_mode("/etc/pulse") == "root:root 755");
    // The units are enabled (deb-systemd-helper's links), and wait for a config.
    CHECK(exists_in_chroot("/etc/systemd/system/graphical.target.wants/pulse-kiosk.service"));
    CHECK(exists_in_chroot("/etc/systemd/system/multi-user.target.wants/pulse-collector.service"));
    // The nginx site: installed, not enabled.
    CHECK(exists_in_chroot("/etc/nginx/sites-available/pulse-collector"));
    CHECK_FALSE(exists_in_chroot("/etc/nginx/sites-enabled/pulse-collector"));
    // The programs run with the libraries apt brought.
    r = in_chroot("pulse-kiosk --help && pulse-collector --help");
    CHECK_MESSAGE(r.exit_code == 0, r.err);

    // Provisioning writes the config and the token as the service user's;
    // the endpoint does not exist here, so it says so and exits 1, files written.
    r = in_chroot("printf 'chroot-token-1\\n' | pulse-kiosk provision --id chroot-1 --workplace w1 "
                  "--endpoint https://pulse.invalid --token-file - 2>&1");
    CHECK_MESSAGE(r.exit_code == 1, r.out);
    CHECK(owner_mode("/etc/pulse/token") == "pulse-kiosk:pulse-kiosk 600");
    CHECK(owner_mode("/etc/pulse/kiosk.toml") == "root:root 644");
    r = in_chroot("pulse-kiosk check --config /etc/pulse/kiosk.toml 2>&1");
    CHECK_MESSAGE(r.exit_code == 0, r.out);
    // IT changes the configs, the nginx site, and the terminal has answers.
    in_chroot("sed -i 's/^language = .*/language = \"en\"/' /etc/pulse/kiosk.toml; "
              "cp /usr/share/pulse/collector/collector.example.toml /etc/pulse/collector.toml; "
              "echo '# IT was here' >> /etc/pulse/collector.toml; "
              "echo '# server_name changed by IT' >> /etc/nginx/sites-available/pulse-collector; "
              "echo answers > /var/lib/pulse/kiosk/answers.sqlite3; echo db > /var/lib/pulse/collector/c.sqlite3");
    const std::string kiosk_toml = slurp(kChroot / "etc/pulse/kiosk.toml");
    const std::string collector_toml = slurp(kChroot / "etc/pulse/collector.toml");
    const std::string site = slurp(kChroot / "etc/nginx/sites-available/pulse-collector");
    REQUIRE(kiosk_toml.find("language = \"en\"") != std::string::npos);

    // --- upgrade: templates changed in the package, configs changed by IT;
    // stdin is /dev/null, so a conffile question would fail the command.
    r = in_chroot("dpkg -i /tmp/pulse-debs/kiosk-2.deb /tmp/pulse-debs/collector-2.deb 2>&1", 300);
    REQUIRE_MESSAGE(r.exit_code == 0, r.out);
    CHECK(r.out.find("Configuration file") == std::string::npos);
    CHECK(status_of("pulse-kiosk") == "install ok installed " + later);
    CHECK(status_of("pulse-collector") == "install ok installed " + later);
    CHECK(slurp(kChroot / "usr/share/pulse/terminal.example.toml").find("# later release") != std::string::npos);
    CHECK(slurp(kChroot / "etc/pulse/kiosk.toml") == kiosk_toml);
    CHECK(slurp(kChroot / "etc/pulse/collector.toml") == collector_toml);
    CHECK(slurp(kChroot / "etc/nginx/sites-available/pulse-collector") == site);
    CHECK(owner_mode("/etc/pulse/token") == "pulse-kiosk:pulse-kiosk 600");
    CHECK(slurp(kChroot / "var/lib/pulse/kiosk/answers.sqlite3") == "answers\n");

    // --- remove: the programs go; answers, configs and token stay.
    r = in_chroot("dpkg --remove pulse-kiosk pulse-collector 2>&1", 300);
    REQUIRE_MESSAGE(r.exit_code == 0, r.out);
    CHECK(status_of("pulse-kiosk").rfind("deinstall ok config-files", 0) == 0);
    CHECK_FALSE(exists_in_chroot("/usr/bin/pulse-kiosk"));
    CHECK_FALSE(exists_in_chroot("/usr/bin/pulse-collector"));
    CHECK(slurp(kChroot / "var/lib/pulse/kiosk/answers.sqlite3") == "answers\n");
    CHECK(slurp(kChroot / "var/lib/pulse/collector/c.sqlite3") == "db\n");
    CHECK(slurp(kChroot / "etc/pulse/kiosk.toml") == kiosk_toml);
    CHECK(exists_in_chroot("/etc/pulse/token"));

    // --- purge: the data and the configuration go.
    r = in_chroot("dpkg --purge pulse-kiosk pulse-collector 2>&1", 300);
    REQUIRE_MESSAGE(r.exit_code == 0, r.out);
    CHECK(status_of("pulse-kiosk").empty());
    CHECK(status_of("pulse-collector").empty());
    // /etc/pulse itself stays: PulseAudio's client library (libpulse0, which
    // SDL brings) keeps its client.conf there too.
    CHECK(exists_in_chroot("/etc/pulse/client.conf"));
    for (const char* gone : {"/var/lib/pulse", "/etc/pulse/kiosk.toml", "/etc/pulse/token", "/etc/pulse/collector.toml",
                             "/etc/nginx/sites-available/pulse-collector",
                             "/etc/systemd/system/graphical.target.wants/pulse-kiosk.service",
                             "/etc/systemd/system/multi-user.target.wants/pulse-collector.service"}) {
        CHECK_MESSAGE(!exists_in_chroot(gone), std::string(gone), " is still there after purge");
    }
}
