// screen_thanks.cpp — "Tak! Dit svar er gemt." with a check mark, shown only
// once the answers are durable; while they are being written, "Gemmer …".
// After a session's last statement it also offers "Fortryd" (id "undo"),
// within reach low on the screen, over a bar that shrinks with the undo
// window (Flow::undo_offered, thanks_duration); once tapped, the screen says
// the answers are removed.
#include "kiosk/widgets.hpp"

#include <algorithm>

namespace pulse {

namespace {

// "Fortryd" and the bar of the time left, centred above reach_bottom.
Intent undo_button(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float button_h = std::max(l.min_target(), 96 * l.scale);
    const float button_w = std::min(l.width - 2 * l.margin, std::max(l.min_target() * 3, 420 * l.scale));
    const float bar_h = std::max(l.mm(3), 12 * l.scale);
    const float bottom = l.reach_bottom - l.margin;
    const float bar_y = bottom - bar_h;
    const float button_y = bar_y - l.margin * 0.5f - button_h;
    const float x0 = (l.width - button_w) * 0.5f;
    const Millis window = thanks_duration(v.flow);
    const Millis left = std::clamp<Millis>(v.flow.since_ms + window - v.now_ms, 0, window);
    const float share = window > 0 ? static_cast<float>(left) / static_cast<float>(window) : 0.0f;
    list->AddRectFilled(ImVec2(x0, bar_y), ImVec2(x0 + button_w, bar_y + bar_h), im_colour(p.calm), bar_h * 0.5f);
    if (share > 0) {
        list->AddRectFilled(ImVec2(x0, bar_y), ImVec2(x0 + button_w * share, bar_y + bar_h), im_colour(p.text),
                            bar_h * 0.5f);
    }
    ButtonLook look;
    look.fill = p.card;
    look.border = p.text;
    look.border_px = std::max(2.0f, l.mm(0.8f));
    look.text = p.text;
    look.font = v.fonts.button;
    look.label = v.text("undo").c_str();
    Intent intent;
    if (touch_button(v, "undo", ImVec2(x0, button_y), ImVec2(x0 + button_w, button_y + button_h), look)) {
        intent.action = Intent::Action::undo;
    }
    return intent;
}

}  // namespace

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
    const float centre_y = l.portrait ? l.height * 0.28f : l.height * 0.26f;
    if (!v.flow.undone) draw_check(list, ImVec2(l.width * 0.5f, centre_y), radius, p.accent, p.on_accent);
    float y = centre_y + radius + 50 * l.scale;
    y += text_block(list, v.fonts.headline, v.text(v.flow.undone ? "undone_title" : "thanks_title"), l.width * 0.5f,
                    y, wrap, p.text, 1);
    y += 24 * l.scale;
    const int n = v.flow.answered;
    const std::string body = v.flow.undone ? v.text("undone_body")
                             : n == 0      ? v.text("thanks_none")
                             : n == 1      ? v.text("thanks_one")
                                           : fill_placeholders(v.text("thanks_many"), {{"n", std::to_string(n)}});
    text_block(list, v.fonts.statement, body, l.width * 0.5f, y, wrap, p.text, 2);
    Intent intent;
    if (v.flow.undo_offered && !v.flow.undone) intent = undo_button(v);
    end_canvas();
    return intent;
}

}  // namespace pulse
