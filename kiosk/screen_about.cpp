// screen_about.cpp — "Om anonymitet": what is stored, what is not, who sees
// what and when, in the shown language, with "Tilbage" and the languages
// below, within reach. Opened from the attract screen; the flow closes it
// after a minute without a tap.
#include "kiosk/answer_row.hpp"
#include "kiosk/widgets.hpp"

#include <algorithm>

namespace pulse {

Intent draw_about(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = begin_canvas(v);
    const float wrap = std::min(l.width * 0.84f, l.width - 2 * l.margin);
    const std::vector<Secondary> secondary = {Secondary::close, Secondary::languages};
    const float block_bottom = l.reach_bottom - l.margin * (l.portrait ? 0.0f : 0.5f);
    const float secondary_top = block_bottom - secondary_rows_height(v, secondary);

    float y = l.margin + 18 * l.scale;
    y += text_block(list, v.fonts.headline, v.text("about_title"), l.width * 0.5f, y, wrap, p.text, 1);
    y += 32 * l.scale;
    // Four short paragraphs, left-aligned would read better, but centred
    // blocks keep one text path with the other screens.
    for (const char* key : {"about_stored", "about_not_stored", "about_who", "about_when"}) {
        y += text_block(list, v.fonts.button, v.text(key), l.width * 0.5f, y, wrap, p.text, 4);
        y += 24 * l.scale;
    }
    const Intent intent = secondary_rows(v, secondary, secondary_top);
    end_canvas();
    return intent;
}

}  // namespace pulse
