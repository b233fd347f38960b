// news_band.hpp — "you said, we did" on the attract screen (issue 15): the
// manager's response to the last published week, in the kiosk's language
// (falling back to Danish), under a line with that week's participation as
// its summary shows it ("38 svar i uge 48 · Leder A svarer:"; no number when
// the summary withholds it). A card at the top of the attract screen; the
// response wraps at the legible size and is cut with "…" after max_lines.
#pragma once

#include "kiosk/ui.hpp"

namespace pulse {

// The band's height for max_lines of response at wrap_width (the card's
// padding included); 0 without news (view.news null).
float news_band_height(const View& v, float wrap_width, int max_lines);

// Draws the band with its top at top, centred, wrap_width wide for the
// text; returns its height (0 without news). Nothing in it is tappable.
float draw_news_band(const View& v, float top, float wrap_width, int max_lines);

}  // namespace pulse
