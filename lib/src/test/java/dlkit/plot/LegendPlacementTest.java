package dlkit.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler.LegendPosition;

class LegendPlacementTest {

    private static XYChart chart(IntToDoubleFunction... curves) {
        XYChart chart = Style.apply(new XYChart(640, 400));
        int k = 0;
        for (IntToDoubleFunction curve : curves) {
            double[] x = new double[20];
            double[] y = new double[20];
            for (int i = 0; i < 20; i++) {
                x[i] = i + 1;
                y[i] = curve.applyAsDouble(i + 1);
            }
            chart.addSeries("run " + k++, x, y);
        }
        return chart;
    }

    @Test
    void fallingCurvesLeaveTheTopRightFree() {
        assertEquals(LegendPosition.InsideNE, LegendPlacement.choose(chart(e -> 2.0 / e, e -> 1.0 / e)));
    }

    @Test
    void risingCurvesPushItDown() {
        assertEquals(LegendPosition.InsideSE, LegendPlacement.choose(chart(e -> 1 - 1.0 / e, e -> 0.9 - 1.0 / e)));
    }

    @Test
    void curvesFanningOutToTheRightLeaveTheTopLeft() {
        // As the variance-by-depth figure: one line climbs to the top right, one falls to the bottom right.
        XYChart chart = chart(e -> e * 2.0, e -> 0, e -> -e * 2.0);
        assertEquals(LegendPosition.InsideNW, LegendPlacement.choose(chart));
    }

    @Test
    void curvesThroughEveryCornerSendItOutside() {
        XYChart chart = chart(e -> e, e -> 21 - e);
        assertEquals(LegendPosition.OutsideE, LegendPlacement.choose(chart));
    }
}
