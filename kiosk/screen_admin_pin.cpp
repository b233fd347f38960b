// screen_admin_pin.cpp — the admin PIN pad (issue 13), opened by five taps
// on the top-left corner: a title, one dot per digit entered (never the
// digits), what went wrong (a wrong PIN; the lockout and how long it lasts),
// a 3 × 4 keypad of large keys and a close button. Plain and calm: staff
// passing by see a keypad, nothing about any answer.
#include "kiosk/widgets.hpp"

#include <algorithm>
#include <string>

namespace pulse {

Intent draw_admin_pin(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    const AdminState& a = *v.admin;
    ImDrawList* list = begin_canvas(v);
    Intent intent;

    const float close_h = admin_close_button(v, &intent);  // top right

    // Title, the dots, and the message line.
    const float wrap = l.width * 0.7f;
    float y = l.margin + close_h + l.margin * 0.5f;
    // For IT at arm's length, and the pad must fit a 15.6" 720-line panel: the button size, not the statement's.
    y += text_block(list, v.fonts.button, v.text("admin_pin_title"), l.width * 0.5f, y, wrap, p.text, 1);
    const float dot_r = 14 * l.scale;
    const float dots_y = y + l.margin * 0.5f + dot_r;
    const int n = static_cast<int>(a.digits.size());
    const float dot_gap = dot_r * 3.2f;
    const float slots = static_cast<float>(std::max<std::size_t>(kPinMinDigits, a.digits.size()));
    for (int i = 0; i < static_cast<int>(slots); ++i) {
        const ImVec2 c(l.width * 0.5f + (i - (slots - 1) * 0.5f) * dot_gap, dots_y);
        if (i < n) list->AddCircleFilled(c, dot_r, im_colour(p.text), 24);
        else list->AddCircle(c, dot_r, im_colour(p.outline), 24, std::max(2.0f, 2.5f * l.scale));
    }
    y = dots_y + dot_r + l.margin * 0.5f;
    const UnixSeconds locked_s = pin_lock_remaining_s(a.lock, v.wall_now);
    std::string message;
    if (locked_s > 0) {
        message = fill_placeholders(v.text("admin_pin_locked"), {{"minutes", std::to_string((locked_s + 59) / 60)}});
    } else if (a.wrong_pin) {
        message = v.text("admin_pin_wrong");
    }
    const float message_h = text_block_height(v.fonts.admin, "Ag", wrap, 1) * 2;
    if (!message.empty()) text_block(list, v.fonts.admin, message, l.width * 0.5f, y, wrap, p.fault, 2);
    y += message_h + l.margin * 0.5f;

    // The keypad: 1 2 3 / 4 5 6 / 7 8 9 / delete 0 OK, within reach.
    y = std::max(y, l.reach_top);
    const float gap = l.min_gap() * 1.5f;
    const float room_h = l.reach_bottom - l.margin - y;
    const float key = std::max(l.min_target(), std::min({(room_h - 3 * gap) / 4, l.width * 0.22f, 190 * l.scale}));
    const float pad_w = key * 3 + gap * 2;
    const float x0 = (l.width - pad_w) * 0.5f;
    const bool locked = locked_s > 0;
    static const char* const kKeys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "ok"};
    for (int i = 0; i < 12; ++i) {
        const float kx = x0 + (i % 3) * (key + gap);
        const float ky = y + (i / 3) * (key + gap);
        const std::string k = kKeys[i];
        const bool digit = k != "back" && k != "ok";
        ButtonLook look;
        look.fill = k == "ok" ? p.accent : p.card;
        look.text = k == "ok" ? p.on_accent : p.text;
        look.border = k == "ok" ? 0 : p.outline;
        look.border_px = std::max(2.0f, 2 * l.scale);
        look.font = digit ? v.fonts.headline : v.fonts.button;
        look.label = digit ? kKeys[i] : v.text(k == "ok" ? "admin_ok" : "admin_delete").c_str();
        if (locked && k != "back") {  // nothing to enter while locked
            look.fill = mix(look.fill, p.background, 0.6f);
            look.text = mix(look.text, look.fill, 0.5f);
        }
        const std::string id = "pin-" + k;
        if (touch_button(v, id.c_str(), ImVec2(kx, ky), ImVec2(kx + key, ky + key), look)) {
            intent = digit ? admin_intent(AdminAction::digit, k[0] - '0')
                           : admin_intent(k == "ok" ? AdminAction::ok : AdminAction::back);
        }
    }
    end_canvas();
    return intent;
}

}  // namespace pulse
