// schedule.hpp — a terminal's opening hours ([schedule] in its config; the
// collector reads them too, for the fleet's alerts):
// hours per weekday on Copenhagen's clock plus closed dates. Pure: whether
// the terminal is open at an instant, and when that next changes (so the UI
// loop can sleep until then). No SDL, no ImGui, no clock of its own.
#pragma once

#include "common/calendar.hpp"
#include "common/diagnostic.hpp"

#include <toml++/toml.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

// One day's opening hours on Copenhagen's clock: open from open_min (incl.)
// to close_min (excl.), minutes after local midnight, open_min < close_min.
// close_min may be 1440 ("24:00": open until midnight).
struct DayHours {
    int open_min = 0;
    int close_min = 0;
    bool operator==(const DayHours&) const = default;
};

struct Schedule {
    std::array<std::optional<DayHours>, 7> hours;  // 0 = Monday .. 6 = Sunday; nullopt = closed all day
    std::vector<CivilDate> closed;                 // Copenhagen dates closed all day (holidays)
};

// Parses "HH:MM-HH:MM" (two digits each; the end may be "24:00"). nullopt
// with *why set when malformed or when the end is not after the start;
// *why is worded to follow the quoted value ("is not HH:MM-HH:MM …").
std::optional<DayHours> parse_day_hours(const std::string& text, std::string* why);

// Parses "YYYY-MM-DD" (a real date). nullopt for anything else.
std::optional<CivilDate> parse_civil_date(const std::string& text);

// The weekday keys of [schedule], Monday first.
inline constexpr const char* kScheduleDays[7] = {"monday", "tuesday", "wednesday", "thursday",
                                                 "friday", "saturday", "sunday"};

// Reads a [schedule] table (a terminal's config, or its overlay from the
// collector): each weekday "HH:MM-HH:MM" with the end after the start,
// closed dates real dates ("YYYY-MM-DD" in quotes, or a TOML date). Every
// bad value is added to errors as FILE:LINE: "[schedule] key …" with what to
// write; unknown keys are the caller's to report. The schedule of the good
// values is returned either way.
Schedule read_schedule_table(const toml::table& table, const std::string& file, Diagnostics& errors);

// Whether the terminal is open at instant t: t's Copenhagen date is not a
// closed date and its wall-clock time lies within that weekday's hours. The
// clock reading decides, so on DST days "07:00" means 07:00 on the wall.
bool is_open(const Schedule& schedule, UnixSeconds t);

// The first instant after t at which is_open changes, looking at most about
// a year ahead; nullopt when it does not change within that (e.g. no hours
// at all). An opening or closing time inside the spring gap (02:00–02:59 on
// the last Sunday of March) takes effect when the clock jumps past it; one
// inside the autumn repeat at its first showing (the second showing is not
// reported, though is_open follows the clock through it).
std::optional<UnixSeconds> next_change(const Schedule& schedule, UnixSeconds t);

}  // namespace pulse
