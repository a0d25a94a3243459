#include "gui/FileDialog.h"

#include <QFileDialog>

#include <utility>

namespace {
struct TestState
{
    QStringList answers;
    QStringList captions;
    QStringList suggestions;
    std::function<void()> whileOpen;
};

TestState& testState()
{
    static TestState state;
    return state;
}
} // namespace

bool FileDialog::takeAnswer(const QString& caption, const QString& directory, QString* path)
{
    TestState& state = testState();
    state.captions << caption;
    state.suggestions << directory;
    if (state.whileOpen)
        std::exchange(state.whileOpen, nullptr)();
    if (state.answers.isEmpty())
        return false;
    *path = state.answers.takeFirst();
    return true;
}

QString FileDialog::getOpenFileName(QWidget* parent, const QString& caption, const QString& directory,
                                    const QString& filter)
{
    QString path;
    if (takeAnswer(caption, directory, &path))
        return path;
    return QFileDialog::getOpenFileName(parent, caption, directory, filter);
}

QString FileDialog::getSaveFileName(QWidget* parent, const QString& caption, const QString& directory,
                                    const QString& filter, QFileDialog::Options options)
{
    QString path;
    if (takeAnswer(caption, directory, &path))
        return path;
    return QFileDialog::getSaveFileName(parent, caption, directory, filter, nullptr, options);
}

void FileDialog::answerNext(const QString& path)
{
    testState().answers << path;
}

void FileDialog::whileNextIsOpen(std::function<void()> action)
{
    testState().whileOpen = std::move(action);
}

QStringList FileDialog::askedCaptions()
{
    return testState().captions;
}

QStringList FileDialog::suggestedPaths()
{
    return testState().suggestions;
}

void FileDialog::clearTestState()
{
    testState() = TestState();
}
