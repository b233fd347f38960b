// screen_thanks.cpp — "Tak! Dit svar er gemt." with a check mark, shown only
// once the answers are durable; while they are being written, "Gemmer …".
#include "kiosk/widgets.hpp"

namespace pulse {

Intent draw_thanks(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = begin_canvas(v);
    const float wrap = l.width * 0.8f;

    if (v.flow.screen == Screen::saving) {
        text_block(list, v.fonts.headline, v.text("saving"), l.width * 0.5f, l.height * 0.42f, wrap, p.muted, 2);
        end_canvas();
        return {};
    }

    const float radius = 110 * l.scale;
    const float centre_y = l.portrait ? l.height * 0.28f : l.height * 0.30f;
    draw_check(list, ImVec2(l.width * 0.5f, centre_y), radius, p.accent, p.on_accent);
    float y = centre_y + radius + 50 * l.scale;
    y += text_block(list, v.fonts.headline, v.text("thanks_title"), l.width * 0.5f, y, wrap, p.text, 1);
    y += 24 * l.scale;
    const int n = v.flow.answered;
    const std::string body = n == 0   ? v.text("thanks_none")
                             : n == 1 ? v.text("thanks_one")
                                      : fill_placeholders(v.text("thanks_many"), {{"n", std::to_string(n)}});
    text_block(list, v.fonts.statement, body, l.width * 0.5f, y, wrap, p.text, 2);
    end_canvas();
    return {};
}

}  // namespace pulse
