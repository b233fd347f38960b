// kiosk_text_keys.hpp — the keys of the kiosk's screen texts
// (config/texts.toml) and the {placeholders} each may hold: the contract
// between the screens and the texts file. In common/ because the collector
// checks the text overrides of a terminal's config overlay by the same rules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pulse {

// Every key, in screen order; each language defines each one.
extern const std::vector<std::string> kTextKeys;

// Whether key is one of kTextKeys.
bool is_kiosk_text_key(std::string_view key);

// The {placeholders} key's text may contain (the screens fill them in); any
// other {word} is a typo that would show on screen as written.
std::vector<std::string_view> kiosk_text_placeholders(std::string_view key);

}  // namespace pulse
