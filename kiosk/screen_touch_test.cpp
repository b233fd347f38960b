// screen_touch_test.cpp — the admin panel's touch test (issue 13): touch
// anywhere and a crosshair shows where the kiosk felt it, with its
// coordinates in screen pixels, so IT can see at once whether the touch
// panel is mapped to the picture (a turned or mirrored mapping shows as a
// crosshair away from the finger). "Done" returns to the panel.
#include "kiosk/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace pulse {

Intent draw_touch_test(const View& v) {
    const Layout& l = v.layout;
    const Palette& p = v.palette;
    const AdminState& a = *v.admin;
    ImDrawList* list = begin_canvas(v);
    Intent intent;

    // Done, bottom centre and within reach: first, so it gets its taps.
    const float w = std::max(l.min_target() * 2, 320 * l.scale);
    const float h = std::max(l.min_target(), 96 * l.scale);
    ButtonLook done;
    done.fill = p.accent;
    done.text = p.on_accent;
    done.font = v.fonts.button;
    done.label = v.text("admin_touch_done").c_str();
    if (touch_button(v, "touch-done", ImVec2((l.width - w) * 0.5f, l.reach_bottom - l.margin - h),
                     ImVec2((l.width + w) * 0.5f, l.reach_bottom - l.margin), done)) {
        intent = admin_intent(AdminAction::touch_done);
    }
    // Everywhere else is the test area (transparent over the cleared frame).
    ButtonLook area;
    area.fill = 0x00000000;
    if (touch_button(v, "touch-area", ImVec2(0, 0), ImVec2(l.width, l.height), area)) {
        const ImVec2 at = ImGui::GetIO().MousePos;
        intent = admin_intent(AdminAction::touch);
        intent.x = at.x;
        intent.y = at.y;
    }
    text_block(list, v.fonts.statement, v.text("admin_touch_hint"), l.width * 0.5f, l.margin, l.width * 0.8f,
               p.muted, 1);
    if (a.touch_x && a.touch_y) {
        const float x = *a.touch_x, y = *a.touch_y;
        const float line = std::max(2.0f, 3 * l.scale);
        // Rectangles, not lines: crisp and even on every renderer.
        list->AddRectFilled(ImVec2(0, y - line * 0.5f), ImVec2(l.width, y + line * 0.5f), im_colour(p.fault));
        list->AddRectFilled(ImVec2(x - line * 0.5f, 0), ImVec2(x + line * 0.5f, l.height), im_colour(p.fault));
        list->AddCircle(ImVec2(x, y), l.mm(6), im_colour(p.fault), 32, line);
        const std::string where = "x " + std::to_string(static_cast<int>(std::lround(x))) + " · y " +
                                  std::to_string(static_cast<int>(std::lround(y)));
        const float tx = std::clamp(x + l.mm(8), l.margin, l.width - l.margin - 260 * l.scale);
        const float ty = std::clamp(y - l.mm(8) - v.fonts.button->FontSize, l.margin, l.height - l.margin);
        list->AddText(v.fonts.button, v.fonts.button->FontSize, ImVec2(tx, ty), im_colour(p.text), where.c_str());
    }
    end_canvas();
    return intent;
}

}  // namespace pulse
