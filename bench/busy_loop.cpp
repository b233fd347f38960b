// busy_loop.cpp — the reference for the idle-CPU benchmark: a plain Dear ImGui
// 1.86 + SDL_Renderer program that redraws a screen like the kiosk's attract
// screen every frame, capped at 60 Hz by sleeping out the rest of a 16 ms
// frame (no vsync: Xvfb has none). It shares no code with the kiosk, so it
// shows what "an ImGui app that always redraws" costs on the same display.
//   bench_busy_loop [--seconds S] [--size WxH]
// Runs until SIGTERM/SIGINT (SDL turns them into SDL_QUIT) or S seconds, then
// prints "frames=N seconds=T renderer=NAME" on stdout.
#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr Uint64 kFrameMs = 16;  // 60 Hz cap (62.5 Hz): sleep out the rest of each frame

// Draws text centred on centre_x with its top at top.
void centred_text(ImDrawList* list, ImFont* font, const char* text, float centre_x, float top, ImU32 colour) {
    const ImVec2 size = font->CalcTextSizeA(font->FontSize, 1e9f, 0, text);
    list->AddText(font, font->FontSize, ImVec2(centre_x - size.x * 0.5f, top), colour, text);
}

// A rounded, outlined button with a centred label; returns true when clicked.
bool button(ImDrawList* list, const char* id, ImVec2 min, ImVec2 max, ImU32 fill, ImU32 ink, ImFont* font,
            const char* label) {
    ImGui::SetCursorScreenPos(min);
    const bool clicked = ImGui::InvisibleButton(id, ImVec2(max.x - min.x, max.y - min.y));
    const float rounding = (max.y - min.y) * 0.12f;
    list->AddRectFilled(min, max, fill, rounding);
    list->AddRect(min, max, IM_COL32(0x5B, 0x62, 0x70, 0xFF), rounding, 0, 3.0f);
    centred_text(list, font, label, (min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f - font->FontSize * 0.5f, ink);
    return clicked;
}

}  // namespace

int main(int argc, char** argv) {
    // --- command line --------------------------------------------------------
    double seconds = 0;  // 0: until SDL_QUIT
    int width = 1920, height = 1080;
    for (int i = 1; i < argc; ++i) {
        bool ok = i + 1 < argc;
        if (ok && std::strcmp(argv[i], "--seconds") == 0) {
            seconds = std::atof(argv[++i]);
        } else if (ok && std::strcmp(argv[i], "--size") == 0) {
            ok = std::sscanf(argv[++i], "%dx%d", &width, &height) == 2 && width >= 320 && height >= 320;
        } else {
            ok = false;
        }
        if (!ok) {
            std::fprintf(stderr, "usage: %s [--seconds S] [--size WxH]\n", argv[0]);
            return 2;
        }
    }

    // --- SDL: window and renderer, chosen like the kiosk's Platform ----------
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        std::fprintf(stderr, "bench_busy_loop: SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    SDL_Window* window = SDL_CreateWindow("Pulse bench: busy loop", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                          width, height, SDL_WINDOW_SHOWN);
    if (!window) {
        std::fprintf(stderr, "bench_busy_loop: SDL_CreateWindow: %s\n", SDL_GetError());
        return 1;
    }
    SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_ACCELERATED);
    if (!renderer) renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    if (!renderer) {
        std::fprintf(stderr, "bench_busy_loop: SDL_CreateRenderer: %s\n", SDL_GetError());
        return 1;
    }
    SDL_RendererInfo info;
    SDL_GetRendererInfo(renderer, &info);

    // --- Dear ImGui: context, style, fonts at the kiosk's sizes, backends ---
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    ImGui::StyleColorsLight();
    static const ImWchar latin1[] = {0x0020, 0x00FF, 0};
    ImFont* fonts[5] = {};
    const float sizes[5] = {72, 56, 32, 28, 24};  // headline, statement, button, title, fine
    for (int i = 0; i < 5; ++i) {
        fonts[i] = io.Fonts->AddFontFromFileTTF(PULSE_FONT_FILE, sizes[i] * static_cast<float>(height) / 1080.0f,
                                                nullptr, latin1);
        if (!fonts[i]) {
            std::fprintf(stderr, "bench_busy_loop: cannot load font %s\n", PULSE_FONT_FILE);
            return 1;
        }
    }
    ImFont* headline = fonts[0];
    ImFont* label = fonts[2];
    ImFont* fine = fonts[4];
    ImGui_ImplSDL2_InitForSDLRenderer(window);
    ImGui_ImplSDLRenderer_Init(renderer);

    // --- loop: every frame is drawn, whether anything changed or not --------
    const float w = static_cast<float>(width), h = static_cast<float>(height);
    const Uint64 start_ms = SDL_GetTicks64();
    long frames = 0;
    bool danish = true;
    for (bool running = true; running;) {
        const Uint64 frame_start = SDL_GetTicks64();
        SDL_Event event;
        while (SDL_PollEvent(&event)) {
            ImGui_ImplSDL2_ProcessEvent(&event);
            if (event.type == SDL_QUIT) running = false;
        }
        if (seconds > 0 && static_cast<double>(frame_start - start_ms) >= seconds * 1000) running = false;

        ImGui_ImplSDLRenderer_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(w, h));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
        ImGui::Begin("attract", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                             ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoSavedSettings);
        ImDrawList* list = ImGui::GetWindowDrawList();
        list->AddRectFilled(ImVec2(0, 0), ImVec2(w, h), IM_COL32(0xF6, 0xF4, 0xEF, 0xFF));
        const ImU32 text = IM_COL32(0x1E, 0x24, 0x30, 0xFF), card = IM_COL32_WHITE;
        // Language toggle (top right), headline, the big start button, the anonymity line.
        if (button(list, "da", ImVec2(w - 48 - 350, 48), ImVec2(w - 48 - 180, 120), danish ? text : card,
                   danish ? card : text, label, "Dansk"))
            danish = true;
        if (button(list, "en", ImVec2(w - 48 - 170, 48), ImVec2(w - 48, 120), danish ? card : text,
                   danish ? text : card, label, "English"))
            danish = false;
        centred_text(list, headline, danish ? "Hvordan går det med ledelsen?" : "How is leadership going?", w * 0.5f,
                     h * 0.22f - headline->FontSize * 0.5f, text);
        button(list, "start", ImVec2(w * 0.25f, h / 3), ImVec2(w * 0.75f, h * 2 / 3), IM_COL32(0x2F, 0x6F, 0xA8, 0xFF),
               card, headline, danish ? "Tryk for at svare" : "Tap to answer");
        centred_text(list, fine,
                     danish ? "Anonymt: ingen navne, kun tidspunkt til nærmeste time"
                            : "Anonymous: no names, time only to the nearest hour",
                     w * 0.5f, h - 48 - fine->FontSize * 2, IM_COL32(0x5B, 0x62, 0x70, 0xFF));
        ImGui::End();
        ImGui::PopStyleVar();
        ImGui::Render();

        SDL_SetRenderDrawColor(renderer, 0xF6, 0xF4, 0xEF, 0xFF);
        SDL_RenderClear(renderer);
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        SDL_RenderPresent(renderer);
        ++frames;

        const Uint64 spent = SDL_GetTicks64() - frame_start;
        if (spent < kFrameMs) SDL_Delay(static_cast<Uint32>(kFrameMs - spent));
    }

    // --- clean up -----------------------------------------------------------
    const double elapsed_s = static_cast<double>(SDL_GetTicks64() - start_ms) / 1000.0;
    std::printf("frames=%ld seconds=%.1f renderer=%s\n", frames, elapsed_s, info.name);
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 0;
}
