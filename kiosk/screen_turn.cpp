// screen_turn.cpp — turning points between the layout and the panel (see
// screen_turn.hpp). With P = the panel's size, a picture turned clockwise:
//   90:  layout (x, y) -> panel (Pw - y, x)
//   180: layout (x, y) -> panel (Pw - x, Ph - y)
//   270: layout (x, y) -> panel (y, Ph - x)
// (for 90, the layout's top edge becomes the panel's right edge).
#include "kiosk/screen_turn.hpp"

#include <cassert>

namespace pulse {

ScreenTurn::ScreenTurn(int rotation_deg, int panel_width, int panel_height)
    : panel_w_(panel_width), panel_h_(panel_height) {
    const bool valid = rotation_deg == 0 || rotation_deg == 90 || rotation_deg == 180 || rotation_deg == 270;
    assert(valid && "rotation must be 0, 90, 180 or 270 (load_kiosk_config checks [display] rotation)");
    rotation_ = valid ? rotation_deg : 0;
}

ScreenPoint ScreenTurn::to_panel(ScreenPoint p) const {
    const float w = static_cast<float>(panel_w_), h = static_cast<float>(panel_h_);
    switch (rotation_) {
        case 90: return {w - p.y, p.x};
        case 180: return {w - p.x, h - p.y};
        case 270: return {p.y, h - p.x};
        default: return p;
    }
}

ScreenPoint ScreenTurn::to_layout(ScreenPoint p) const {
    const float w = static_cast<float>(panel_w_), h = static_cast<float>(panel_h_);
    switch (rotation_) {
        case 90: return {p.y, w - p.x};
        case 180: return {w - p.x, h - p.y};
        case 270: return {h - p.y, p.x};
        default: return p;
    }
}

// A pixel is its centre turned: for 90, layout pixel (x, y) has its centre
// at (x + ½, y + ½), which lands on (Pw - y - ½, x + ½), the centre of panel
// pixel (Pw - 1 - y, x).
ScreenPixel ScreenTurn::to_panel_pixel(ScreenPixel p) const {
    switch (rotation_) {
        case 90: return {panel_w_ - 1 - p.y, p.x};
        case 180: return {panel_w_ - 1 - p.x, panel_h_ - 1 - p.y};
        case 270: return {p.y, panel_h_ - 1 - p.x};
        default: return p;
    }
}

ScreenPixel ScreenTurn::to_layout_pixel(ScreenPixel p) const {
    switch (rotation_) {
        case 90: return {p.y, panel_w_ - 1 - p.x};
        case 180: return {panel_w_ - 1 - p.x, panel_h_ - 1 - p.y};
        case 270: return {panel_h_ - 1 - p.y, p.x};
        default: return p;
    }
}

}  // namespace pulse
