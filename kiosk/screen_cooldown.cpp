// screen_cooldown.cpp — the few seconds after a session's thanks, before the
// next person's statement: a calm screen that says, in both languages, that
// the terminal is ready again in a moment. Taps do nothing here (the flow
// ignores them); only the admin corner is live.
#include "kiosk/widgets.hpp"

namespace pulse {

Intent draw_cooldown(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = begin_canvas(v);
    const Intent corner = admin_corner(v);
    const float wrap = l.width * 0.84f;
    // Both languages, the terminal's own first, one under the other.
    const std::string& first = v.flow.settings.default_language;
    const std::string& second = first == kLanguages.front() ? kLanguages.back() : kLanguages.front();
    const std::string& a = v.texts.get(first, "cooldown_message");
    const std::string& b = v.texts.get(second, "cooldown_message");
    const float gap = 24 * l.scale;
    const float h = text_block_height(v.fonts.headline, a, wrap, 2) + gap + text_block_height(v.fonts.statement, b, wrap, 2);
    float y = (l.reach_bottom - h) * 0.5f;
    y += text_block(list, v.fonts.headline, a, l.width * 0.5f, y, wrap, p.muted, 2) + gap;
    text_block(list, v.fonts.statement, b, l.width * 0.5f, y, wrap, p.muted, 2);
    end_canvas();
    return corner;
}

}  // namespace pulse
