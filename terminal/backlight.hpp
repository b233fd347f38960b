// backlight.hpp — the panel's backlight through Linux's sysfs class
// (/sys/class/backlight/<name>/{brightness,max_brightness}): dimmed outside
// opening hours, brighter or dimmer from the admin panel (issue 13). The
// folder is a parameter, so tests use a folder of their own. The levels are
// pure functions; Backlight only reads and writes the two files.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace pulse {

// The folder [display] backlight = "auto" means: the first (by name) entry of
// root that holds a brightness file, or nullopt when there is none (a
// monitor without a backlight interface: nothing to dim, not an error).
std::optional<std::filesystem::path> find_backlight(const std::filesystem::path& root = "/sys/class/backlight");

class Backlight {
public:
    // Opens the backlight in folder: reads max_brightness (a whole number
    // above 0). nullopt with *error naming the file when it is missing,
    // unreadable or not a number.
    static std::optional<Backlight> open(const std::filesystem::path& folder, std::string* error);

    int max() const { return max_; }
    const std::filesystem::path& folder() const { return folder_; }

    // The brightness now, 0..max(); nullopt with *error naming the file.
    std::optional<int> read(std::string* error) const;

    // Sets the brightness to level (clamped to 0..max()). false with *error
    // naming the file and errno's text (on a terminal: the kiosk's user
    // cannot write it; config/udev/90-pulse-backlight.rules lets it).
    bool write(int level, std::string* error) const;

private:
    Backlight(std::filesystem::path folder, int max) : folder_(std::move(folder)), max_(max) {}
    std::filesystem::path folder_;
    int max_ = 1;
};

// The night level: night_fraction (0..1) of max, rounded.
int night_brightness_level(int max, double night_fraction);

// One admin step from current, direction -1 or +1: a tenth of max, kept
// within [a tenth of max (at least 1), max], so the admin panel can never
// switch the panel dark.
int stepped_brightness_level(int current, int max, int direction);

// The day level to return to when the kiosk starts with the backlight at
// `current`: current itself, unless it is at or below the night level (a
// previous run dimmed it for the night and stopped), then max.
int day_brightness_level(int current, int max, double night_fraction);

// The backlight [display] backlight names: "none" gives nullopt; "auto"
// find_backlight(root) (nullopt when there is none: not an error); a folder
// Backlight::open. nullopt with *error when a backlight that should be
// there cannot be opened.
std::optional<Backlight> open_configured_backlight(const std::string& setting, std::string* error,
                                                   const std::filesystem::path& root = "/sys/class/backlight");

// Keeps the backlight at the day level within opening hours and at the
// night level outside them, and lets the admin panel step the day level.
// Writes only when the wanted level changes. A write that fails is logged
// once and the keeper stops writing (the panel then shows no backlight).
class BacklightKeeper {
public:
    using Log = std::function<void(const std::string&)>;

    // Reads the level now as the day level (day_brightness_level).
    BacklightKeeper(Backlight backlight, double night_fraction, Log log);

    // Sets the day or the night level (closed: outside opening hours).
    void follow(bool closed);

    // Steps the day level by direction (-1, 0 or +1; 0 only reads) and
    // applies it unless closed. The day level in percent of max; nullopt
    // once writing has failed.
    std::optional<int> step(int direction, bool closed);

    int day_level() const { return day_; }

private:
    void set(int level);
    Backlight backlight_;
    int night_ = 0;
    int day_ = 0;
    std::optional<int> written_;  // the level last written
    bool failed_ = false;
    Log log_;
};

}  // namespace pulse
