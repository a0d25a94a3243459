#pragma once

#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

#include <memory>

// Palettes of the themes the colour tests draw in (header only: fusionLight() needs QtWidgets).

inline QPalette fusionLight()
{
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    return fusion->standardPalette();
}

// GNOME's Adwaita dark, near what the gtk3 platform theme hands to Qt.
inline QPalette adwaitaDark()
{
    QPalette palette;
    const QColor window(0x35, 0x35, 0x35);
    const QColor text(0xee, 0xee, 0xec);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, QColor(0x2d, 0x2d, 0x2d));
    palette.setColor(QPalette::AlternateBase, window);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::Highlight, QColor(0x15, 0x53, 0x9e));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::PlaceholderText, QColor(0x91, 0x91, 0x90));
    return palette;
}

inline QPalette highContrast(const QColor& text, const QColor& background)
{
    QPalette palette;
    for (const auto role : { QPalette::Window, QPalette::Base, QPalette::AlternateBase, QPalette::Button })
        palette.setColor(role, background);
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        palette.setColor(role, text);
    palette.setColor(QPalette::Highlight, text);
    palette.setColor(QPalette::HighlightedText, background);
    return palette;
}
