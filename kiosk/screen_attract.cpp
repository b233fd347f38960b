// screen_attract.cpp — the resting screen: a headline question, one large
// "tap to answer" button, the anonymity promise, and the language toggle.
// During cooldown the same screen is drawn dimmed with "ready again soon".
#include "kiosk/widgets.hpp"

namespace pulse {

Intent draw_attract(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    const bool cooling = v.flow.screen == Screen::cooldown;
    ImDrawList* list = begin_canvas(v);
    const Intent corner = admin_corner(v);  // first: it gets the tap
    Intent intent = language_toggle(v, l.width - l.margin, l.margin, cooling);

    // Headline in the upper third.
    const float wrap = l.width * 0.84f;
    const float headline_h = text_block_height(v.fonts.headline, v.text("attract_headline"), wrap, 2);
    const float headline_top = l.portrait ? l.height * 0.20f : l.height * 0.22f - headline_h * 0.5f;
    text_block(list, v.fonts.headline, v.text("attract_headline"), l.width * 0.5f, headline_top, wrap,
               cooling ? with_alpha(p.text, 0.45f) : p.text, 2);

    // The start button fills the middle third.
    const float button_w = l.portrait ? l.width - 2 * l.margin : l.width * 0.5f;
    const float button_h = std::max(l.min_target(), l.portrait ? l.height * 0.22f : l.height / 3.0f);
    const float button_top = l.portrait ? l.height * 0.40f : l.height / 3.0f;
    ButtonLook look;
    look.fill = cooling ? p.calm : p.accent;  // calm, not a disabled-looking accent
    look.text = cooling ? p.text : p.on_accent;
    look.font = v.fonts.headline;
    look.label = cooling ? v.text("cooldown_message").c_str() : v.text("attract_button").c_str();
    if (touch_button(v, "start", ImVec2((l.width - button_w) * 0.5f, button_top),
                     ImVec2((l.width + button_w) * 0.5f, button_top + button_h), look)) {
        intent = Intent{Intent::Action::start, 0, {}};
    }

    // The anonymity promise, near the bottom but within reach.
    const float fine_h = text_block_height(v.fonts.fine, v.text("attract_anonymity"), wrap, 2);
    const float fine_top = l.portrait ? button_top + button_h + l.margin * 2
                                      : l.reach_bottom - fine_h - l.margin;
    text_block(list, v.fonts.fine, v.text("attract_anonymity"), l.width * 0.5f, fine_top, wrap,
               cooling ? with_alpha(p.muted, 0.6f) : p.muted, 2);

    end_canvas();
    return corner.action != Intent::Action::none ? corner : intent;
}

}  // namespace pulse
