// Item model -> CSV / Markdown text.
#include "ui/window/TableExport.h"

#include <QAbstractItemModel>
#include <QLocale>
#include <QStringList>

namespace centroid::ui {
namespace {

QString exportText(const QAbstractItemModel& model, const QModelIndex& index) {
  const QVariant value = model.data(index, kExportRole);
  if (!value.isValid()) {
    return model.data(index, Qt::DisplayRole).toString();
  }
  if (value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Float) {
    // The shortest text that reads back as the same double: exact, and 0.6 stays "0.6".
    return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
  }
  return value.toString();
}

QString csvField(const QString& s) {
  const bool needsQuotes = s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) ||
                           s.contains(QLatin1Char('\n')) || s.contains(QLatin1Char('\r')) ||
                           (!s.isEmpty() && (s.front().isSpace() || s.back().isSpace()));
  if (!needsQuotes) {
    return s;
  }
  QString quoted = s;
  quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString markdownCell(QString s) {
  s.replace(QLatin1String("\\"), QLatin1String("\\\\"));
  s.replace(QLatin1String("|"), QLatin1String("\\|"));
  s.replace(QLatin1String("\r\n"), QLatin1String("<br>"));
  s.replace(QLatin1Char('\n'), QLatin1String("<br>"));
  return s.trimmed();
}

// Headers wrapped onto two lines for the screen become one line in a file.
QString headerText(const QAbstractItemModel& model, int column) {
  return model.headerData(column, Qt::Horizontal, Qt::DisplayRole)
      .toString()
      .replace(QLatin1Char('\n'), QLatin1Char(' '));
}

}  // namespace

QString toCsv(const QAbstractItemModel& model) {
  const int columns = model.columnCount();
  QString out;
  QStringList fields;
  for (int c = 0; c < columns; ++c) {
    fields << csvField(headerText(model, c));
  }
  out += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
  for (int r = 0; r < model.rowCount(); ++r) {
    fields.clear();
    for (int c = 0; c < columns; ++c) {
      fields << csvField(exportText(model, model.index(r, c)));
    }
    out += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
  }
  return out;
}

QString toMarkdown(const QAbstractItemModel& model) {
  const int columns = model.columnCount();
  if (columns == 0) {
    return {};
  }
  auto line = [](const QStringList& cells) {
    return QLatin1String("| ") + cells.join(QLatin1String(" | ")) + QLatin1String(" |\n");
  };
  QStringList cells;
  for (int c = 0; c < columns; ++c) {
    cells << markdownCell(headerText(model, c));
  }
  QString out = line(cells);

  // Alignment follows the first row's cells (the header may be aligned differently for looks).
  cells.clear();
  for (int c = 0; c < columns; ++c) {
    Qt::Alignment align = Qt::AlignLeft;
    if (model.rowCount() > 0) {
      const QVariant a = model.data(model.index(0, c), Qt::TextAlignmentRole);
      if (a.isValid()) {
        align = Qt::Alignment(a.toInt());
      }
    }
    cells << ((align & Qt::AlignRight) ? QStringLiteral("---:") : QStringLiteral("---"));
  }
  out += line(cells);

  for (int r = 0; r < model.rowCount(); ++r) {
    cells.clear();
    for (int c = 0; c < columns; ++c) {
      cells << markdownCell(model.data(model.index(r, c), Qt::DisplayRole).toString());
    }
    out += line(cells);
  }
  return out;
}

}  // namespace centroid::ui
