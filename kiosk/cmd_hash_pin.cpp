// cmd_hash_pin.cpp — `pulse-kiosk hash-pin`: an admin PIN on stdin, its
// Argon2id hash string on stdout (common/pin_hash.hpp), for [admin]
// pin_hash, provision's --admin-pin-hash and the collector's overlays.
#include "kiosk/commands.hpp"
#include "common/pin_hash.hpp"

#include <istream>
#include <ostream>

namespace pulse {

int cmd_hash_pin(std::istream& in, std::ostream& out, std::ostream& err) {
    std::string pin;
    std::getline(in, pin);
    if (!pin.empty() && pin.back() == '\r') pin.pop_back();
    std::string why;
    if (!is_valid_pin(pin, &why)) {
        err << "pulse-kiosk hash-pin: the PIN on stdin " << why << " (e.g. echo 4711 | pulse-kiosk hash-pin)\n";
        return kExitBadConfig;
    }
    const std::optional<std::string> hash = hash_pin(pin, &why);
    if (!hash) {
        err << "pulse-kiosk hash-pin: " << why << '\n';
        return kExitFailure;
    }
    out << *hash << '\n';
    return kExitOk;
}

}  // namespace pulse
