// test_certificates.hpp — for the TLS tests: a throwaway certificate
// authority and a server certificate it signed for 127.0.0.1 and localhost,
// plus a second, unrelated authority that must not be trusted. Made once per
// test process by Debian's `openssl` command (scripts/install-deps), in a
// temp folder removed at exit.
#pragma once

#include "temp_file.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace pulse::testing {

struct TestCertificates {
    std::filesystem::path ca;           // the authority's certificate (PEM): the ca_file to trust
    std::filesystem::path server_cert;  // 127.0.0.1 / localhost, signed by ca, valid for two days
    std::filesystem::path server_key;
    std::filesystem::path other_ca;     // an authority that signed nothing here
};

// The certificates, made on first use. Fails the test when openssl fails.
inline const TestCertificates& test_certificates() {
    static const TestCertificates made = [] {
        const std::filesystem::path dir = temp_folder();
        const auto in = [&dir](const char* name) { return "'" + (dir / name).string() + "'"; };
        write_file(dir / "server.ext", "basicConstraints = CA:FALSE\nkeyUsage = digitalSignature\n"
                                       "extendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1, DNS:localhost\n");
        const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
        const std::string ca_ext = " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign";
        const std::string commands[] = {
            "openssl req -x509" + ec + " -days 2 -subj '/CN=Pulse test CA'" + ca_ext + " -keyout " + in("ca.key") +
                " -out " + in("ca.pem"),
            "openssl req -x509" + ec + " -days 2 -subj '/CN=Some other CA'" + ca_ext + " -keyout " +
                in("other.key") + " -out " + in("other.pem"),
            "openssl req" + ec + " -subj '/CN=127.0.0.1' -keyout " + in("server.key") + " -out " + in("server.csr"),
            "openssl x509 -req -days 2 -in " + in("server.csr") + " -CA " + in("ca.pem") + " -CAkey " + in("ca.key") +
                " -CAcreateserial -extfile " + in("server.ext") + " -out " + in("server.pem"),
        };
        for (const std::string& command : commands) {
            const std::string quiet = command + " >/dev/null 2>" + in("openssl.log");
            REQUIRE_MESSAGE(std::system(quiet.c_str()) == 0, "failed: ", command);
        }
        return TestCertificates{dir / "ca.pem", dir / "server.pem", dir / "server.key", dir / "other.pem"};
    }();
    return made;
}

}  // namespace pulse::testing
