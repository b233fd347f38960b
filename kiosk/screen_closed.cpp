// screen_closed.cpp — outside the opening hours: the screen stays dark (a
// staff room at night), and the whole reachable screen is one touch target.
// A tap shows "closed — see you tomorrow" in dim, still readable type for a
// few seconds (the flow times it), then it is dark again. No answers here.
#include "kiosk/widgets.hpp"

namespace pulse {

Intent draw_closed(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    ImDrawList* list = begin_canvas(v);
    // The frame was cleared to the day background: cover it.
    list->AddRectFilled(ImVec2(0, 0), ImVec2(l.width, l.height), im_colour(p.night));

    // Anywhere within reach but the admin corner wakes the message; the
    // button is as dark as the screen.
    Intent intent = admin_corner(v);
    ButtonLook look;
    look.fill = p.night;
    if (touch_button(v, "closed", ImVec2(0, 0), ImVec2(l.width, l.reach_bottom), look)) {
        intent = Intent{Intent::Action::start, 0, {}};
    }
    if (v.flow.closed_message) {
        const float wrap = l.width * 0.8f;
        const std::string& message = v.text("closed_message");
        const float h = text_block_height(v.fonts.headline, message, wrap, 2);
        text_block(list, v.fonts.headline, message, l.width * 0.5f, l.reach_bottom * 0.5f - h * 0.5f, wrap,
                   p.night_text, 2);
    }
    end_canvas();
    return intent;
}

}  // namespace pulse
