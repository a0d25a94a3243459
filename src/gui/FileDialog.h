#pragma once

#include <QFileDialog>
#include <QString>
#include <QStringList>

#include <functional>

class QWidget;

// Every file pgdesk asks the user for goes through here, so GUI tests can choose the file in
// advance instead of blocking on a native or modal QFileDialog (the same seam as MessageBox).
class FileDialog
{
public:
    static QString getOpenFileName(QWidget* parent, const QString& caption, const QString& directory = {},
                                   const QString& filter = {});
    static QString getSaveFileName(QWidget* parent, const QString& caption, const QString& directory = {},
                                   const QString& filter = {}, QFileDialog::Options options = {});

    // Tests: the next dialogs, open or save, return these paths without being shown (first in,
    // first out); an empty path is the user pressing Cancel.
    static void answerNext(const QString& path);
    // Tests: runs while the next dialog is "open", before its answer is returned (what a user
    // would see happen meanwhile: a reload, another client's change).
    static void whileNextIsOpen(std::function<void()> action);
    // The caption of every dialog asked for since the last clear, answered or shown.
    static QStringList askedCaptions();
    // The suggested file (directory argument) of every dialog asked for since the last clear.
    static QStringList suggestedPaths();
    static void clearTestState();

private:
    static bool takeAnswer(const QString& caption, const QString& directory, QString* path);
};
