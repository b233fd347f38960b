// backlight.cpp — reading and writing a sysfs backlight, and its levels (see
// backlight.hpp).
#include "terminal/backlight.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <vector>

namespace pulse {

namespace fs = std::filesystem;

namespace {

// A whole number from the first line of file (sysfs: "255\n").
std::optional<int> read_number(const fs::path& file, std::string* error) {
    std::ifstream in(file);
    long long value = -1;
    if (!in || !(in >> value) || value < 0 || value > 1'000'000'000) {
        if (error) *error = file.string() + " cannot be read as a whole number";
        return std::nullopt;
    }
    return static_cast<int>(value);
}

}  // namespace

std::optional<fs::path> find_backlight(const fs::path& root) {
    std::error_code ec;
    std::vector<fs::path> found;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        if (fs::exists(it->path() / "brightness", ec)) found.push_back(it->path());
    }
    if (found.empty()) return std::nullopt;
    return *std::min_element(found.begin(), found.end());
}

std::optional<Backlight> Backlight::open(const fs::path& folder, std::string* error) {
    const std::optional<int> max = read_number(folder / "max_brightness", error);
    if (!max) return std::nullopt;
    if (*max <= 0) {
        if (error) *error = (folder / "max_brightness").string() + " says 0: this backlight cannot be dimmed";
        return std::nullopt;
    }
    return Backlight(folder, *max);
}

std::optional<int> Backlight::read(std::string* error) const {
    return read_number(folder_ / "brightness", error);
}

bool Backlight::write(int level, std::string* error) const {
    const fs::path file = folder_ / "brightness";
    std::ofstream out(file, std::ios::trunc);
    if (out) out << std::clamp(level, 0, max_) << '\n';
    if (out) out.flush();
    if (!out) {
        const int e = errno;
        if (error) {
            *error = "cannot write " + file.string() + " (" + std::strerror(e) +
                     "); on a terminal the kiosk's user needs the udev rule of config/udev/90-pulse-backlight.rules";
        }
        return false;
    }
    return true;
}

int night_brightness_level(int max, double night_fraction) {
    return std::clamp(static_cast<int>(std::lround(max * std::clamp(night_fraction, 0.0, 1.0))), 0, max);
}

int stepped_brightness_level(int current, int max, int direction) {
    const int step = std::max(1, static_cast<int>(std::lround(max / 10.0)));
    const int lowest = std::max(1, static_cast<int>(std::lround(max / 10.0)));
    const int next = current + (direction > 0 ? step : direction < 0 ? -step : 0);
    return std::clamp(next, std::min(lowest, max), max);
}

int day_brightness_level(int current, int max, double night_fraction) {
    return current <= night_brightness_level(max, night_fraction) ? max : std::min(current, max);
}

std::optional<Backlight> open_configured_backlight(const std::string& setting, std::string* error,
                                                   const fs::path& root) {
    if (setting == "none") return std::nullopt;
    std::optional<fs::path> folder = setting == "auto" ? find_backlight(root) : std::optional<fs::path>(setting);
    if (!folder) return std::nullopt;
    return Backlight::open(*folder, error);
}

BacklightKeeper::BacklightKeeper(Backlight backlight, double night_fraction, Log log)
    : backlight_(std::move(backlight)), log_(std::move(log)) {
    night_ = night_brightness_level(backlight_.max(), night_fraction);
    std::string error;
    const std::optional<int> now = backlight_.read(&error);
    day_ = now ? day_brightness_level(*now, backlight_.max(), night_fraction) : backlight_.max();
    if (!now && log_) log_("backlight: " + error + "; the day level is taken as the maximum");
}

void BacklightKeeper::set(int level) {
    if (failed_ || written_ == level) return;
    std::string error;
    if (backlight_.write(level, &error)) {
        written_ = level;
    } else {
        failed_ = true;
        if (log_) log_("backlight: " + error + "; it is left as it is from now on");
    }
}

void BacklightKeeper::follow(bool closed) { set(closed ? night_ : day_); }

std::optional<int> BacklightKeeper::step(int direction, bool closed) {
    if (direction != 0) day_ = stepped_brightness_level(day_, backlight_.max(), direction);
    follow(closed);
    if (failed_) return std::nullopt;
    return static_cast<int>(std::lround(100.0 * day_ / backlight_.max()));
}

}  // namespace pulse
