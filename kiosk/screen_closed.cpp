// screen_closed.cpp — outside the opening hours: the screen stays dark (a
// staff room at night), and the whole reachable band of the screen is one
// touch target. A tap shows "closed — see you tomorrow" in both languages
// (the terminal's own first: no session, so nobody has chosen one) in dim,
// still readable type for a few seconds (the flow times it), then it is dark
// again. No answers here.
#include "kiosk/widgets.hpp"

#include <algorithm>

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
    // (To the 0.4 m row itself: a dark screen needs no glass kept clear.)
    const float bottom = std::clamp(l.row_at_m(kReachLow_m), l.reach_top, l.height);
    if (touch_button(v, "closed", ImVec2(0, l.reach_top), ImVec2(l.width, bottom), look)) {
        intent = Intent{Intent::Action::start, 0, {}};
    }
    if (v.flow.closed_message) {
        const float wrap = l.width * 0.84f;
        std::vector<const std::string*> messages{&v.text("closed_message")};
        for (const std::string& lang : kLanguages)
            if (lang != v.flow.language) messages.push_back(&v.texts.get(lang, "closed_message"));
        const float gap = l.mm(8);
        float h = gap * static_cast<float>(messages.size() - 1);
        for (const std::string* m : messages) h += text_block_height(v.fonts.headline, *m, wrap, 2);
        // Centred where the tap was possible, so it shows where eyes are.
        float y = std::max(l.margin, (l.reach_top + bottom) * 0.5f - h * 0.5f);
        for (const std::string* m : messages) {
            y += text_block(list, v.fonts.headline, *m, l.width * 0.5f, y, wrap, p.night_text, 2) + gap;
        }
    }
    end_canvas();
    return intent;
}

}  // namespace pulse
