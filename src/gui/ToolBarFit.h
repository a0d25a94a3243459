#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QToolBar;
class QToolButton;

// Keeps every tool of a toolbar in reach when the window is narrow (a small screen at 150 % or
// 200 %): past the width where the labels fit, the labelled buttons show their icons alone (their
// tooltips still name them), so the search box does not go behind the overflow arrow; with room
// again, the labels come back.
class ToolBarFit : public QObject
{
    Q_OBJECT

public:
    static void keep(QToolBar* toolBar);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    explicit ToolBarFit(QToolBar* toolBar);
    void fit();

    QToolBar* m_toolBar;
    QList<QPointer<QToolButton>> m_compacted; // labelled buttons showing their icon alone
    int m_labelledWidth = 0; // what the toolbar needs with every label
};
