// test_render.cpp — kiosk/render_sdl.cpp's shortcuts change no pixel: random
// ImGui shapes (rounded rectangles, circles, strokes, text, at fractional
// positions, partly clipped) drawn with SDL's software renderer, once with
// opaque fans as rectangles and once as SDL's own triangles, give the same
// bytes.
#include "kiosk/render_sdl.hpp"

#include <SDL.h>
#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_render {

namespace {

constexpr int kWidth = 640, kHeight = 400;

// The pixels of one frame of shapes drawn from seed, with or without the shortcut.
std::vector<unsigned char> draw(unsigned seed, bool fans_as_rects) {
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, kWidth, kHeight, 32, SDL_PIXELFORMAT_ARGB8888);
    REQUIRE(surface != nullptr);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
    REQUIRE_MESSAGE(renderer != nullptr, SDL_GetError());
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(kWidth, kHeight);
    io.Fonts->AddFontDefault();
    REQUIRE(ImGui_ImplSDLRenderer_Init(renderer));
    ImGui_ImplSDLRenderer_NewFrame();  // makes the font texture
    ImGui::NewFrame();

    std::mt19937 rng(seed);
    auto uniform = [&](float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng); };
    auto colour = [&](bool opaque) {
        return IM_COL32(rng() % 256, rng() % 256, rng() % 256, opaque ? 255 : 64 + rng() % 150);
    };
    ImDrawList* list = ImGui::GetBackgroundDrawList();
    for (int i = 0; i < 40; ++i) {
        const ImVec2 a(uniform(-40, kWidth), uniform(-40, kHeight));
        const ImVec2 b(a.x + uniform(2, 260), a.y + uniform(2, 200));
        switch (rng() % 6) {
            case 0: list->AddRectFilled(a, b, colour(true), uniform(0, 40)); break;
            case 1: list->AddCircleFilled(a, uniform(1, 90), colour(true), static_cast<int>(rng() % 40)); break;
            case 2: list->AddRect(a, b, colour(true), uniform(0, 30), 0, uniform(1, 9)); break;
            case 3: list->AddCircle(a, uniform(3, 80), colour(rng() % 2 == 0), 0, uniform(1, 8)); break;
            case 4: list->AddTriangleFilled(a, b, ImVec2(a.x, b.y), colour(rng() % 2 == 0)); break;
            case 5: list->AddText(a, colour(true), "Min leder æøå ÆØÅ 0123"); break;
        }
        if (i % 10 == 9) {  // clipped pieces too
            list->PushClipRect(ImVec2(uniform(0, 300), uniform(0, 200)), ImVec2(uniform(320, kWidth), uniform(210, kHeight)));
            list->AddRectFilled(a, b, colour(true), uniform(0, 40));
            list->AddCircleFilled(b, uniform(5, 60), colour(true));
            list->PopClipRect();
        }
    }
    ImGui::Render();
    SDL_SetRenderDrawColor(renderer, 246, 244, 239, 255);
    SDL_RenderClear(renderer);
    pulse::render_draw_data(renderer, ImGui::GetDrawData(), fans_as_rects);
    SDL_RenderPresent(renderer);

    std::vector<unsigned char> pixels(static_cast<std::size_t>(surface->pitch) * kHeight);
    std::memcpy(pixels.data(), surface->pixels, pixels.size());
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui::DestroyContext();
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
    return pixels;
}

}  // namespace

TEST_CASE("opaque fans drawn as rectangles give exactly the pixels of SDL's own triangles") {
    for (unsigned seed = 1; seed <= 60; ++seed) {
        const std::vector<unsigned char> fast = draw(seed, true), reference = draw(seed, false);
        std::size_t differing = 0;
        for (std::size_t i = 0; i < fast.size(); ++i) differing += fast[i] != reference[i];
        CHECK_MESSAGE(differing == 0, "seed ", seed, ": ", differing, " bytes differ");
        // The frame really holds shapes (not a blank canvas).
        std::size_t background = 0;
        for (std::size_t i = 0; i + 3 < fast.size(); i += 4) background += fast[i] == 239 && fast[i + 1] == 244;
        CHECK(background < fast.size() / 4);
    }
}

}  // namespace kiosk_test_render
